import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fail } from '../shared/result';
import { renderApp } from './testing/render-app';
import { makeProfile, makeSnapshot, TEST_NOW_MS } from './testing/sample-snapshot';

const blocks = [
  {
    label: '[profile=legacy]',
    reason: 'A Doover 1 profile with a user name and password.',
  },
  { label: '# notes', reason: 'It does not start with a [profile=NAME] line.' },
];

describe('app', () => {
  it('marks itself ready once the first snapshot is on screen', async () => {
    const { container } = await renderApp(makeSnapshot([makeProfile()]));

    expect(container.querySelector('[data-app-ready="true"]')).not.toBeNull();
    expect(screen.getByRole('listbox', { name: 'Profiles' })).toBeTruthy();
  });

  it('follows snapshots pushed when the file changes', async () => {
    const { backend } = await renderApp(makeSnapshot([makeProfile({ name: 'default' })]));

    act(() =>
      backend.push(
        makeSnapshot([makeProfile({ name: 'default' }), makeProfile({ name: 'added' })], {
          readAt: TEST_NOW_MS + 1,
        }),
      ),
    );

    expect(screen.getAllByRole('option')).toHaveLength(2);
    expect(screen.getByText('2 profiles')).toBeTruthy();
  });

  it('says how many entries it keeps untouched and lists them on request', async () => {
    const { user } = await renderApp(
      makeSnapshot([makeProfile()], { preservedBlocks: blocks }),
    );
    const summary = screen.getByText(
      '2 entries this app does not manage are kept as they are',
    );
    const details = summary.closest('details');
    expect(details?.open).toBe(false);

    await user.click(summary);

    expect(details?.open).toBe(true);
    expect(screen.getByText('[profile=legacy]')).toBeTruthy();
    expect(screen.getByText(blocks[1]?.reason ?? '')).toBeTruthy();
  });

  it('uses the singular for one kept entry', async () => {
    await renderApp(
      makeSnapshot([makeProfile()], { preservedBlocks: blocks.slice(0, 1) }),
    );

    expect(
      screen.getByText('1 entry this app does not manage is kept as it is'),
    ).toBeTruthy();
  });

  it('warns that doover commands fail while pydoover cannot read the file', async () => {
    const error = 'TOKEN_EXPIRES of profile "default" is not a number.';
    await renderApp(makeSnapshot([makeProfile()], { pydooverError: error }));

    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('every doover command fails until it is fixed');
    expect(alert.textContent).toContain(error);
  });

  it('explains where the file would be when it does not exist', async () => {
    await renderApp(makeSnapshot([], { file: { status: 'missing' } }));

    expect(screen.getByRole('heading', { name: 'No profiles yet' })).toBeTruthy();
    expect(screen.getByText('/home/ada/.doover/config')).toBeTruthy();
    expect(screen.getByText('doover login')).toBeTruthy();
    expect(screen.queryByRole('searchbox')).toBeNull();
  });

  it('gives the path, cause and remedy when the file cannot be read', async () => {
    const file = {
      status: 'unreadable' as const,
      cause: 'Permission denied when reading the file.',
      remedy: 'Give your user read access to the file, then reopen the app.',
    };
    await renderApp(makeSnapshot([], { file }));

    expect(
      screen.getByRole('heading', { name: 'The profiles file cannot be read' }),
    ).toBeTruthy();
    expect(screen.getByText('/home/ada/.doover/config')).toBeTruthy();
    expect(screen.getByText(file.cause)).toBeTruthy();
    expect(screen.getByText(file.remedy)).toBeTruthy();
  });

  it('says so when the file holds no profile', async () => {
    await renderApp(makeSnapshot([]));

    expect(screen.getByRole('heading', { name: 'No profiles in the file' })).toBeTruthy();
  });

  it('says why Doover’s tools see no profile when every entry is one they skip', async () => {
    const reason =
      'A line in it has no “=”, so Doover’s tools skip the whole entry (line 3).';
    await renderApp({
      ...makeSnapshot([]),
      preservedBlocks: [{ label: '[profile=a]', reason }],
    });

    const panel = screen.getByRole('region', {
      name: 'No profile Doover’s tools can read',
    });
    expect(panel.textContent).toContain(`Why: ${reason}`);
  });

  it('shows a failed load and recovers on "Try again"', async () => {
    const { user, backend } = await renderApp(
      fail('internal', 'The profiles service stopped.'),
    );
    expect(
      screen.getByRole('heading', { name: 'Profiles could not be loaded' }),
    ).toBeTruthy();
    expect(screen.getByText('The profiles service stopped.')).toBeTruthy();

    backend.setSnapshotAnswer(makeSnapshot([makeProfile({ name: 'back' })]));
    await user.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('heading', { level: 2, name: 'back' })).toBeTruthy();
  });
});
