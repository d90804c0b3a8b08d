import type { DooverApi, Unsubscribe } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';
import type { AppStore } from './app-store';
import { connectTokensToApi } from './connect-tokens';

// Calls answer with a Result; a rejection means the bridge itself broke.
const unreachable = 'The app could not reach its background process. Restart the app.';

/** A call's answer, with a broken bridge turned into an error the user can read. */
export function settle<T>(call: Promise<Result<T>>): Promise<Result<T>> {
  return call.catch(() => fail<T>('internal', unreachable));
}

/** Asks main for the current snapshot and puts the answer (or its error) in the store. */
export async function loadSnapshot(api: DooverApi, store: AppStore): Promise<void> {
  const result = await settle(api.getSnapshot({}));
  if (result.ok) {
    store.getState().receiveSnapshot(result.value);
  } else {
    store.getState().receiveLoadError(result.error);
  }
}

/** Lists the kept versions of the file and puts them (or the error) in the store. */
export async function loadHistory(api: DooverApi, store: AppStore): Promise<void> {
  const result = await settle(api.listHistory({}));
  if (result.ok) {
    store.getState().receiveHistory(result.value);
  } else {
    store.getState().receiveHistoryError(result.error);
  }
}

/**
 * Keeps the store in step with the profiles file: subscribes to pushed
 * snapshots and to the news of other programs' changes first (so no change
 * slips between the two), then loads the current snapshot. Returns the
 * unsubscribe function.
 */
export function connectStoreToApi(api: DooverApi, store: AppStore): Unsubscribe {
  const stopSnapshots = api.onSnapshot((snapshot) =>
    store.getState().receiveSnapshot(snapshot),
  );
  const stopChanges = api.onFileChanges((changes) =>
    store.getState().receiveFileChanges(changes),
  );
  const stopTokens = connectTokensToApi(api, store);
  void loadSnapshot(api, store);

  return () => {
    stopSnapshots();
    stopChanges();
    stopTokens();
  };
}
