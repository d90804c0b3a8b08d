import type { DooverApi, Unsubscribe } from '../../shared/contract';
import type { AppStore } from './app-store';
import { settle } from './connect-api';
import { watchTokenAlerts, webNotifier, type DesktopNotifier } from './token-alerts';

/** Asks main for the preferences and each profile's settings and keeps them in the store. */
export async function loadSettings(api: DooverApi, store: AppStore): Promise<void> {
  const result = await settle(api.getSettings({}));
  if (result.ok) {
    store.getState().receiveSettings(result.value);
  }
}

/** Checks the keychain again; main also pushes the answer to every window. */
export async function checkKeychain(api: DooverApi, store: AppStore): Promise<void> {
  const result = await settle(api.getKeychainStatus({}));
  if (result.ok) {
    store.getState().receiveKeychainStatus(result.value);
  }
}

/**
 * Keeps the store in step with sign-ins, background renewal and the
 * keychain: subscribes to main's news first, then loads the current states.
 * A call main cannot answer leaves its part empty; the views then say nothing
 * rather than something untrue. What needs the user is told through
 * `notify` (or a banner). Returns the unsubscribe function.
 */
export function connectTokensToApi(
  api: DooverApi,
  store: AppStore,
  notify: DesktopNotifier = webNotifier,
): Unsubscribe {
  const state = () => store.getState();
  const stops = [
    api.onRenewalStates((states) => state().receiveRenewalStates(states)),
    api.onKeychainStatus((status) => state().receiveKeychainStatus(status)),
    api.onSignInProgress((progress) => {
      state().receiveSignInProgress(progress);
      // A new sign-in may have put the profile in the keychain.
      if (progress.state === 'signed-in') void loadSettings(api, store);
    }),
    watchTokenAlerts(store, notify),
  ];
  void settle(api.getRenewalStates({})).then((result) => {
    if (result.ok) state().receiveRenewalStates(result.value);
  });
  void checkKeychain(api, store);
  void loadSettings(api, store);

  return () => stops.forEach((stop) => stop());
}
