import type { DooverApi, Unsubscribe } from '../../shared/contract';
import type { ConfigSnapshot } from '../../shared/profile-types';
import { fail } from '../../shared/result';
import type { AppStore } from './app-store';

// Calls answer with a Result; a rejection means the bridge itself broke.
const unreachable = 'The app could not reach its background process. Restart the app.';

/** Asks main for the current snapshot and puts the answer (or its error) in the store. */
export async function loadSnapshot(api: DooverApi, store: AppStore): Promise<void> {
  const result = await api
    .getSnapshot({})
    .catch(() => fail<ConfigSnapshot>('internal', unreachable));
  if (result.ok) {
    store.getState().receiveSnapshot(result.value);
  } else {
    store.getState().receiveLoadError(result.error);
  }
}

/**
 * Keeps the store in step with the profiles file: subscribes to pushed
 * snapshots first (so no change slips between the two), then loads the
 * current one. Returns the unsubscribe function.
 */
export function connectStoreToApi(api: DooverApi, store: AppStore): Unsubscribe {
  const unsubscribe = api.onSnapshot((snapshot) =>
    store.getState().receiveSnapshot(snapshot),
  );
  void loadSnapshot(api, store);

  return unsubscribe;
}
