import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ok } from '../../shared/result';
import type { SignInStarted } from '../../shared/token-types';
import { renderApp } from '../testing/render-app';
import { makeProfile, makeSnapshot, TEST_NOW_MS } from '../testing/sample-snapshot';

const code: SignInStarted = {
  profile: 'default',
  userCode: 'WDJB-MJHT',
  verificationUri: 'https://auth.doover.com/oauth2/device',
  verificationUriComplete: 'https://auth.doover.com/oauth2/device?user_code=WDJB-MJHT',
  expiresAt: TEST_NOW_MS + 600_000,
};

async function openSignIn(snapshot = makeSnapshot([makeProfile({ name: 'lab' })])) {
  const view = await renderApp(snapshot);
  view.backend.answer('startSignIn', (request) =>
    ok({ ...code, profile: request.profile }),
  );
  view.backend.answer('cancelSignIn', () => ok({ cancelled: true }));
  await view.user.click(screen.getByRole('button', { name: 'Sign in' }));

  return { ...view, dialog: screen.getByRole('dialog', { name: 'Sign in' }) };
}

describe('the sign-in dialog', () => {
  it('names the profile as doover login does for each environment', async () => {
    const { dialog, user } = await openSignIn();
    const name = within(dialog).getByRole('textbox', { name: 'Profile name' });
    expect(name).toHaveProperty('value', 'default');
    await user.click(within(dialog).getByRole('radio', { name: /Staging/ }));
    expect(name).toHaveProperty('value', 'staging');
  });

  it('shows the code large, a QR code, the sign-in link and a countdown, then who signed in', async () => {
    const { dialog, user, backend } = await openSignIn();
    await user.click(within(dialog).getByRole('button', { name: 'Get sign-in code' }));

    expect(backend.requestsOf('startSignIn')).toEqual([
      { profile: 'default', environment: 'production' },
    ]);
    expect((await within(dialog).findByText('WDJB-MJHT')).className).toBe('user-code');
    expect(
      within(dialog).getByRole('link', { name: 'Open sign-in page' }),
    ).toHaveProperty('href', code.verificationUriComplete);
    expect(within(dialog).getByText('10:00')).toBeTruthy();
    expect(
      within(dialog).getByText(/Check that the code the page shows matches/),
    ).toBeTruthy();
    const qr = await within(dialog).findByRole('img', { name: /QR code/ });
    expect(qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml,/);

    act(() =>
      backend.emit('onSignInProgress', {
        state: 'signed-in',
        profile: 'default',
        signedInAs: 'ada@example.com',
        store: 'keychain',
        message: 'The sign-in is kept in the keychain.',
      }),
    );
    expect(within(dialog).getByText('Signed in as ada@example.com.')).toBeTruthy();
    expect(within(dialog).getByText(/kept in the keychain/)).toBeTruthy();
  });

  it('offers a new code in one click once the code expires', async () => {
    const { dialog, user, backend } = await openSignIn();
    await user.click(within(dialog).getByRole('button', { name: 'Get sign-in code' }));
    act(() => vi.advanceTimersByTime(601_000));

    expect(within(dialog).getByText(/The code has expired/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Get a new code' }));
    expect(backend.requestsOf('startSignIn')).toHaveLength(2);
  });

  it('says a refusal in plain words', async () => {
    const { dialog, user, backend } = await openSignIn();
    await user.click(within(dialog).getByRole('button', { name: 'Get sign-in code' }));
    await within(dialog).findByText('WDJB-MJHT');
    act(() =>
      backend.emit('onSignInProgress', {
        state: 'failed',
        profile: 'default',
        canRetry: false,
        message: 'The sign-in was denied in the browser.',
      }),
    );
    expect(within(dialog).getByRole('alert').textContent).toBe(
      'The sign-in was denied in the browser.',
    );
  });

  it('asks before replacing a profile, and cancels a running sign-in on Cancel', async () => {
    const { dialog, user, backend } = await openSignIn(
      makeSnapshot([makeProfile({ name: 'default' })]),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Get sign-in code' }));
    const question = screen.getByRole('alertdialog', {
      name: "Replace the sign-in of 'default'?",
    });
    expect(backend.requestsOf('startSignIn')).toEqual([]);
    await user.click(
      within(question).getByRole('button', { name: 'Sign in and replace' }),
    );
    await waitFor(() =>
      expect(backend.requestsOf('startSignIn')).toEqual([
        { profile: 'default', environment: 'production', replace: true },
      ]),
    );

    await user.click(await within(dialog).findByRole('button', { name: 'Cancel' }));
    expect(backend.requestsOf('cancelSignIn')).toEqual([{ profile: 'default' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
