import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ok } from '../../shared/result';
import type { KeychainStatus, SettingsView } from '../../shared/token-types';
import { renderApp } from '../testing/render-app';
import { makeProfile, makeSnapshot, TEST_NOW_MS } from '../testing/sample-snapshot';

const unavailable: KeychainStatus = {
  state: 'no-service',
  message:
    'No Secret Service is running. New sign-ins will be kept in the config file unless you start one.',
  checkedAt: TEST_NOW_MS,
  orphans: ['old@https://auth.doover.com'],
};

describe('the keychain panel', () => {
  it('says the health in words, checks again, and removes an orphaned entry', async () => {
    const { user, backend } = await renderApp(makeSnapshot([makeProfile()]));
    backend.answer('getKeychainStatus', () => ok(unavailable));
    backend.answer('removeKeychainOrphans', () =>
      ok({
        removed: ['old@https://auth.doover.com'],
        problems: [],
        status: { ...unavailable, orphans: [] },
      }),
    );
    act(() => backend.emit('onKeychainStatus', unavailable));
    await user.click(screen.getByRole('button', { name: /Keychain/ }));
    const panel = screen.getByRole('dialog', { name: 'Keychain' });
    expect(panel.textContent).toContain(
      'Keychain unavailable. No Secret Service is running.',
    );

    await user.click(within(panel).getByRole('button', { name: 'Check again' }));
    expect(backend.requestsOf('getKeychainStatus').length).toBeGreaterThan(0);
    await user.click(within(panel).getByRole('button', { name: /Remove/ }));
    expect(backend.requestsOf('removeKeychainOrphans')).toEqual([
      { accounts: ['old@https://auth.doover.com'] },
    ]);
    expect(
      await within(panel).findByText(/No keychain entries are left over/),
    ).toBeTruthy();
  });
});

describe('adding a service account', () => {
  it('sends the name, data API, client id and secret, with the secret in a password input', async () => {
    const { user, backend } = await renderApp(makeSnapshot([makeProfile()]));
    backend.answer('addServiceAccount', (request) =>
      ok({
        description: `Added the service account "${request.name}".`,
        snapshot: makeSnapshot([makeProfile(), makeProfile({ name: request.name })], {
          readAt: TEST_NOW_MS + 1,
        }),
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Add service account' }));
    const dialog = screen.getByRole('dialog', { name: 'Add service account' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'robot');
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Data API' }),
      'https://data.doover.com/api',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Client ID' }),
      'robot-id',
    );
    const secret = within(dialog).getByLabelText('Client secret');
    expect(secret.getAttribute('type')).toBe('password');
    await user.type(secret, 's3cret');
    await user.click(within(dialog).getByRole('button', { name: 'Add service account' }));

    expect(backend.requestsOf('addServiceAccount')).toEqual([
      {
        name: 'robot',
        dataBaseUrl: 'https://data.doover.com/api',
        clientId: 'robot-id',
        clientSecret: 's3cret',
      },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('preferences', () => {
  const view: SettingsView = {
    preferences: {
      clipboardClearSeconds: 30,
      notifications: true,
      refresh: { lifetimeFraction: 0.75, leadSeconds: 300, minimumLeadSeconds: 60 },
    },
    profiles: {},
    problem: null,
  };

  it('saves the clipboard delay and notifications', async () => {
    const { user, backend } = await renderApp(makeSnapshot([makeProfile()]));
    backend.answer('updateSettings', () => ok(view));
    await user.click(screen.getByRole('button', { name: 'Preferences' }));
    const dialog = screen.getByRole('dialog', { name: 'Preferences' });
    await user.selectOptions(
      within(dialog).getByRole('combobox', { name: /Clear a copied token/ }),
      'Never',
    );
    await user.click(within(dialog).getByRole('checkbox', { name: /Notify me/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(backend.requestsOf('updateSettings')).toEqual([
      { preferences: { clipboardClearSeconds: 'never', notifications: false } },
    ]);
  });

  it('changes when tokens renew, refusing a moment after the latest allowed', async () => {
    const { user, backend, store } = await renderApp(makeSnapshot([makeProfile()]));
    act(() => store.getState().receiveSettings(view));
    backend.answer('updateSettings', () => ok(view));
    await user.click(screen.getByRole('button', { name: 'Preferences' }));
    const dialog = screen.getByRole('dialog', { name: 'Preferences' });
    const minutes = within(dialog).getByRole('spinbutton', { name: /minutes before/ });
    await user.clear(minutes);
    await user.type(minutes, '0.5');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(backend.requestsOf('updateSettings')).toEqual([]);
    expect(minutes.getAttribute('aria-invalid')).toBe('true');
    expect(dialog.textContent).toContain('later than the 60 s before expiry');

    await user.clear(minutes);
    await user.type(minutes, '10');
    const share = within(dialog).getByRole('spinbutton', { name: /share of the token/ });
    await user.clear(share);
    await user.type(share, '80');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(backend.requestsOf('updateSettings')).toEqual([
      {
        preferences: {
          clipboardClearSeconds: 30,
          notifications: true,
          refresh: { lifetimeFraction: 0.8, leadSeconds: 600, minimumLeadSeconds: 60 },
        },
      },
    ]);
  });
});
