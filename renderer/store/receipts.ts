import type { ProfileWriteReceipt } from '../../shared/profile-types';
import type { AppStore } from './app-store';

/**
 * Takes in the answer to a change the user made: the file as it now reads,
 * the profile to show next (if the change named one), and what was done, in
 * words, for the notifications area.
 */
export function takeReceipt(
  store: AppStore,
  receipt: ProfileWriteReceipt,
  select?: string,
): void {
  const state = store.getState();
  state.receiveSnapshot(receipt.snapshot);
  if (select !== undefined) {
    state.selectProfile(select);
  }
  state.noteDone(receipt.description);
}
