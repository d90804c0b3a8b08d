import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../testing/render-app';
import { makeProfile, makeSnapshot, TEST_NOW_S } from '../testing/sample-snapshot';

const secrets = {
  default: {
    token: 'eyJhbGciOiJSUzI1NiJ9.payload.signature-Q5Zw',
    refreshToken: 'aBcD-refresh-wXyZ',
  },
};

function field(label: string): HTMLElement {
  const term = screen
    .getAllByRole('term')
    .find((element) => element.firstChild?.textContent === label);
  const value = term?.nextElementSibling;
  if (!(value instanceof HTMLElement)) {
    throw new Error(`no field ${label}`);
  }

  return value;
}

describe('profile detail', () => {
  it('shows every field of the selected profile', async () => {
    await renderApp(
      makeSnapshot([
        makeProfile({
          name: 'default',
          tokenExpires: 1_767_450_725,
          agentId: 'agent-7',
          refreshTokenId: 'rt-42',
        }),
      ]),
    );

    expect(field('Token').textContent).toContain('eyJh…Q5Zw');
    expect(field('Token expires').textContent).toMatch(
      /2026.*\d{1,2}:\d\d:\d\d.*1767450725/,
    );
    expect(field('Expiry source').textContent).toBe('From the file');
    expect(field('Agent ID').textContent).toBe('agent-7');
    expect(field('Control API').textContent).toBe('https://api.doover.com');
    expect(field('Refresh token').textContent).toContain('aBcD…wXyZ');
    expect(field('Refresh token ID').textContent).toBe('rt-42');
    expect(field('Data API').textContent).toBe('https://data.doover.com/api');
    expect(field('Auth server').textContent).toBe('https://auth.doover.com');
    expect(field('Client ID').textContent).toBe('08a9ae8c-0668-428b-a691-f7eaa526aca0');
    expect(screen.getByText('BASE_URL')).toBeTruthy();
  });

  it('says when the expiry comes from the token and when a field is not set', async () => {
    await renderApp(
      makeSnapshot([
        makeProfile({
          tokenExpires: null,
          expiresAt: TEST_NOW_S + 600,
          expirySource: 'jwt',
          agentId: null,
        }),
      ]),
    );

    expect(field('Token expires').textContent).toBe('Not set');
    expect(field('Expiry source').textContent).toMatch(/^From the token: .*2026/);
    expect(field('Agent ID').textContent).toBe('Not set');
  });

  it('shows an unreadable TOKEN_EXPIRES plainly, in the field and as a problem', async () => {
    const problem = {
      key: 'TOKEN_EXPIRES' as const,
      message: 'is not a number pydoover can read',
    };
    await renderApp(
      makeSnapshot([
        makeProfile({
          tokenExpires: null,
          unreadableTokenExpires: '2026-01-01T00:00:00Z',
          expiresAt: null,
          expirySource: null,
          problems: [problem],
        }),
      ]),
    );

    expect(field('Token expires').textContent).toBe(
      '2026-01-01T00:00:00Z is not a number of seconds',
    );
    const detail = screen.getByRole('region', { name: 'default' });
    expect(within(detail).getByText(problem.message)).toBeTruthy();
    expect(within(screen.getByRole('option')).getByText(problem.message)).toBeTruthy();
  });

  it('reveals a secret only when asked, and hides it again', async () => {
    const { user, backend } = await renderApp(makeSnapshot([makeProfile()]), { secrets });
    expect(backend.revealRequests).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Show token' }));

    expect(backend.revealRequests).toEqual([{ profile: 'default', field: 'token' }]);
    expect(field('Token').textContent).toContain(secrets.default.token);

    await user.click(screen.getByRole('button', { name: 'Hide token' }));

    expect(field('Token').textContent).not.toContain(secrets.default.token);
    expect(field('Token').textContent).toContain('eyJh…Q5Zw');
  });

  it('reveals the refresh token through its own button', async () => {
    const { user, backend } = await renderApp(makeSnapshot([makeProfile()]), { secrets });

    await user.click(screen.getByRole('button', { name: 'Show refresh token' }));

    expect(backend.revealRequests).toEqual([
      { profile: 'default', field: 'refreshToken' },
    ]);
    expect(field('Refresh token').textContent).toContain(secrets.default.refreshToken);
    expect(field('Token').textContent).not.toContain(secrets.default.token);
  });

  it('hides a revealed secret when another profile is selected', async () => {
    const { user } = await renderApp(
      makeSnapshot([makeProfile(), makeProfile({ name: 'staging' })]),
      { secrets },
    );
    await user.click(screen.getByRole('button', { name: 'Show token' }));
    expect(document.body.textContent).toContain(secrets.default.token);

    await user.click(screen.getByText('staging'));
    await user.click(screen.getByText('default'));

    expect(document.body.textContent).not.toContain(secrets.default.token);
    expect(screen.getByRole('button', { name: 'Show token' })).toBeTruthy();
  });

  it('says why a secret could not be shown', async () => {
    const { user } = await renderApp(makeSnapshot([makeProfile()]), { secrets: {} });

    await user.click(screen.getByRole('button', { name: 'Show token' }));

    expect(screen.getByRole('alert').textContent).toBe('default has no such secret.');
    expect(screen.getByRole('button', { name: 'Show token' })).toBeTruthy();
  });

  it('offers no Show button for a secret the profile does not have', async () => {
    await renderApp(
      makeSnapshot([makeProfile({ hasRefreshToken: false, maskedRefreshToken: null })]),
    );

    expect(field('Refresh token').textContent).toBe('Not set');
    expect(screen.queryByRole('button', { name: 'Show refresh token' })).toBeNull();
  });

  it('lists the keys pydoover ignores', async () => {
    await renderApp(makeSnapshot([makeProfile({ ignoredKeys: ['USERNAME', 'COLOUR'] })]));

    expect(screen.getByText(/pydoover ignores and drops these keys/).textContent).toBe(
      'pydoover ignores and drops these keys: USERNAME, COLOUR',
    );
  });
});
