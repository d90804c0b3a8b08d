import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../testing/render-app';
import { makeProfile, makeSnapshot } from '../testing/sample-snapshot';

const staging = makeProfile({
  name: 'staging',
  baseUrl: 'https://api.staging.udoover.com',
  dataBaseUrl: 'https://data.staging.udoover.com/api',
  authServerUrl: 'https://auth.staging.udoover.com',
  environment: { kind: 'staging', label: 'Staging' },
});
const threeProfiles = makeSnapshot([
  makeProfile({ name: 'zeta' }),
  makeProfile({ name: 'alpha', baseUrl: 'https://iot.example.org', dataBaseUrl: null }),
  staging,
]);

function listedNames(): string[] {
  return screen
    .getAllByRole('option')
    .map((option) => option.querySelector('.row-name')?.textContent ?? '');
}

describe('profile list', () => {
  it('lists the profiles in file order with their environment', async () => {
    await renderApp(threeProfiles);

    expect(listedNames()).toEqual(['zeta', 'alpha', 'staging']);
    const stagingRow = screen.getAllByRole('option')[2] as HTMLElement;
    expect(within(stagingRow).getByText('Staging')).toBeTruthy();
  });

  it('selects the first profile and shows it in the detail pane', async () => {
    await renderApp(threeProfiles);

    expect(screen.getAllByRole('option')[0]?.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('heading', { level: 2, name: 'zeta' })).toBeTruthy();
  });

  it('filters by name as the user types', async () => {
    const { user } = await renderApp(threeProfiles);

    await user.type(screen.getByRole('searchbox', { name: /search profiles/i }), 'ALP');

    expect(listedNames()).toEqual(['alpha']);
    expect(screen.getByText('1 of 3 match')).toBeTruthy();
  });

  it('filters by the host of any URL field', async () => {
    const { user } = await renderApp(threeProfiles);
    const search = screen.getByRole('searchbox', { name: /search profiles/i });

    await user.type(search, 'staging.udoover');
    expect(listedNames()).toEqual(['staging']);

    await user.clear(search);
    await user.type(search, 'example.org');
    expect(listedNames()).toEqual(['alpha']);
  });

  it('does not match the scheme or path of a URL, only its host', async () => {
    const { user } = await renderApp(threeProfiles);

    await user.type(screen.getByRole('searchbox', { name: /search profiles/i }), '/api');

    expect(screen.queryByRole('listbox')).toBeNull();
    expect(screen.getByText('No profile matches the search.')).toBeTruthy();
  });

  it('moves the selection with the arrow keys and clicks', async () => {
    const { user } = await renderApp(threeProfiles);
    const list = screen.getByRole('listbox', { name: 'Profiles' });

    list.focus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('heading', { level: 2, name: 'alpha' })).toBeTruthy();
    expect(list.getAttribute('aria-activedescendant')).toBe(
      screen.getAllByRole('option')[1]?.id,
    );

    await user.keyboard('{End}');
    expect(screen.getByRole('heading', { level: 2, name: 'staging' })).toBeTruthy();

    await user.click(screen.getByText('zeta'));
    expect(screen.getByRole('heading', { level: 2, name: 'zeta' })).toBeTruthy();
  });

  it('mounts only the rows in view of a thousand profiles', async () => {
    const profiles = Array.from({ length: 1000 }, (_, index) =>
      makeProfile({ name: `profile-${String(index).padStart(4, '0')}` }),
    );
    const { user } = await renderApp(makeSnapshot(profiles), { viewportHeight: 640 });

    const options = screen.getAllByRole('option');
    expect(options.length).toBeGreaterThan(5);
    expect(options.length).toBeLessThan(40);
    expect(options[0]?.getAttribute('aria-setsize')).toBe('1000');

    screen.getByRole('listbox').focus();
    await user.keyboard('{End}');
    const last = await screen.findByRole('option', { selected: true });
    expect(last.getAttribute('aria-posinset')).toBe('1000');
    expect(screen.getByRole('heading', { level: 2, name: 'profile-0999' })).toBeTruthy();
  });
});
