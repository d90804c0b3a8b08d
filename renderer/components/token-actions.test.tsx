import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../shared/result';
import type { SettingsView } from '../../shared/token-types';
import { renderApp } from '../testing/render-app';
import { makeProfile, makeSnapshot, TEST_NOW_MS } from '../testing/sample-snapshot';

const secretToken = 'eyJhbGciOiJSUzI1NiJ9.secret-token-for-copy.Q5Zw';
const settings: SettingsView = {
  preferences: {
    clipboardClearSeconds: 30,
    notifications: true,
    refresh: { lifetimeFraction: 0.75, leadSeconds: 300, minimumLeadSeconds: 60 },
  },
  profiles: { default: { signInStore: 'keychain', kind: 'user' } },
  problem: null,
};

async function renderSignedIn() {
  const view = await renderApp(makeSnapshot([makeProfile({ name: 'default' })]));
  view.backend.answer('getSettings', () => ok(settings));
  act(() => view.store.getState().receiveSettings(settings));

  return view;
}

describe('token actions of a profile', () => {
  it('copies a fresh token to the clipboard without putting it in the page or the store', async () => {
    const { user, backend, store } = await renderSignedIn();
    backend.answer('getTokenForCopy', () =>
      ok({
        token: secretToken,
        clipboardClearSeconds: 30,
        expiresAt: null,
        refreshed: false,
        signedInAs: null,
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Copy token' }));

    expect(await screen.findByText('Copied, clears in 30 s')).toBeTruthy();
    expect(await navigator.clipboard.readText()).toBe(secretToken);
    expect(document.body.innerHTML).not.toContain(secretToken);
    expect(JSON.stringify(store.getState())).not.toContain(secretToken);
  });

  it('says why a refresh failed, in words', async () => {
    const { user, backend } = await renderSignedIn();
    backend.answer('refreshToken', () =>
      fail(
        'auth-unavailable',
        'Auth server unavailable: it answered with an error page.',
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText(/Auth server unavailable/)).toBeTruthy();
  });

  it('signs out after confirming and says what the server did', async () => {
    const { user, backend } = await renderSignedIn();
    backend.answer('signOut', () =>
      ok({ description: 'Signed out; the auth server offers no revocation.' }),
    );
    await user.click(screen.getByRole('button', { name: 'Sign out…' }));
    const confirm = screen.getByRole('alertdialog', { name: "Sign out of 'default'?" });
    await user.click(within(confirm).getByRole('button', { name: 'Sign out' }));

    expect(backend.requestsOf('signOut')).toEqual([{ profile: 'default' }]);
    expect(await screen.findByText(/offers no revocation/)).toBeTruthy();
  });

  it('shows where the sign-in lives and moves it', async () => {
    const { user, backend } = await renderSignedIn();
    const place = screen.getByRole('region', { name: 'Where the sign-in lives' });
    expect(place.textContent).toContain('Keychain (protected)');
    backend.answer('moveSignIn', () =>
      ok({ store: 'file', message: 'Moved the sign-in to the config file.' }),
    );
    await user.click(
      within(place).getByRole('button', { name: 'Move to the config file' }),
    );

    expect(backend.requestsOf('moveSignIn')).toEqual([
      { profile: 'default', to: 'file' },
    ]);
    expect(
      await within(place).findByText('Moved the sign-in to the config file.'),
    ).toBeTruthy();
  });

  it('says the renewal state and announces only its changes', async () => {
    const { backend } = await renderSignedIn();
    act(() =>
      backend.emit('onRenewalStates', {
        profiles: { default: { kind: 'planned', at: TEST_NOW_MS + 12 * 60_000 } },
        clockSkew: "Your computer's clock is 6 min behind",
      }),
    );
    const detail = screen.getByRole('region', { name: 'default' });
    expect(within(detail).getByText('Renews itself in 12 min')).toBeTruthy();
    expect(screen.getByText(/clock is 6 min behind/)).toBeTruthy();

    act(() =>
      backend.emit('onRenewalStates', {
        profiles: { default: { kind: 'needs-sign-in' } },
        clockSkew: null,
      }),
    );
    await waitFor(() =>
      expect(screen.getAllByText('default: Needs sign-in again').length).toBe(1),
    );
    expect(screen.getByRole('option').textContent).toContain('Needs sign-in again');
    expect(screen.getByRole('alert').textContent).toContain('needs you to sign in again');
  });

  it('keeps the row’s renewal note short, without numbers the expiry already gives', async () => {
    const { backend } = await renderSignedIn();
    act(() =>
      backend.emit('onRenewalStates', {
        profiles: { default: { kind: 'planned', at: TEST_NOW_MS + 12 * 60_000 } },
        clockSkew: null,
      }),
    );
    expect(screen.getByRole('option').textContent).not.toContain('Renews itself');

    act(() =>
      backend.emit('onRenewalStates', {
        profiles: {
          default: { kind: 'cannot-renew', expiresAt: TEST_NOW_MS + 3 * 60_000 },
        },
        clockSkew: null,
      }),
    );
    const row = screen.getByRole('option');
    expect(within(row).getByText('Cannot renew itself')).toBeTruthy();
    const detail = screen.getByRole('region', { name: 'default' });
    expect(
      within(detail).getByText('Expires in 3 min and cannot renew itself'),
    ).toBeTruthy();
  });
});
