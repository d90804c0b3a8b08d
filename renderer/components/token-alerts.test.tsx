import { screen } from '@testing-library/react';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../testing/render-app';
import { makeProfile, makeSnapshot } from '../testing/sample-snapshot';

describe('alerts in the window', () => {
  it('shows a few alerts one by one', async () => {
    const { store } = await renderApp(makeSnapshot([makeProfile()]));
    act(() => {
      store.getState().addTokenAlert('a', "'a' needs you to sign in again.");
      store.getState().addTokenAlert('b', "'b' needs you to sign in again.");
    });

    expect(screen.getAllByRole('alert')).toHaveLength(2);
  });

  it('sums many up in one banner, so the list stays in view, and dismisses them all at once', async () => {
    const { store, user } = await renderApp(makeSnapshot([makeProfile()]));
    act(() => {
      for (let index = 0; index < 30; index += 1) {
        store
          .getState()
          .addTokenAlert(`p${index}`, `'p${index}' needs you to sign in again.`);
      }
    });

    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getByText('30 profiles need your attention')).toBeTruthy();
    await user.click(
      screen.getByRole('button', { name: 'Dismiss all all these alerts' }),
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('drops the alerts of profiles that left the file, or of a file that cannot be read', async () => {
    const { store } = await renderApp(makeSnapshot([makeProfile()]));
    act(() => {
      store.getState().receiveRenewalStates({
        profiles: { a: { kind: 'needs-sign-in' }, b: { kind: 'needs-sign-in' } },
        clockSkew: null,
      });
      store.getState().addTokenAlert('a', "'a' needs you to sign in again.");
      store.getState().addTokenAlert('b', "'b' needs you to sign in again.");
    });

    act(() =>
      store.getState().receiveRenewalStates({
        profiles: { b: { kind: 'needs-sign-in' } },
        clockSkew: null,
      }),
    );
    expect(screen.getAllByRole('alert').map((alert) => alert.textContent)).toEqual([
      expect.stringContaining("'b' needs you"),
    ]);

    act(() => store.getState().receiveRenewalStates({ profiles: {}, clockSkew: null }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
