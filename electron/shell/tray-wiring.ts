import { app, clipboard } from 'electron';
import type { AppServices } from '../core/app-services.js';
import { systemTimers } from '../core/scheduler/deadline-queue.js';
import type { TrayActions } from './tray-menu.js';
import {
  copyProfileToken,
  createClipboardKeeper,
  refreshAllProfiles,
} from './tray-services.js';

export { followTrayStatus, type TrayStatusFeed } from './tray-services.js';

/** The profile whose token the tray and the app menu copy. */
const copiedProfile = 'default';

/**
 * The menu actions that call the services: refresh every profile, and copy the
 * `default` profile's token to the system clipboard. A token still on the
 * clipboard when the app quits is cleared then. LIMITATION: Electron does not
 * wait for that clear at quit, so a quick exit can leave the token there.
 */
export function serviceTrayActions(
  services: Pick<AppServices, 'handlers'>,
): Required<Pick<TrayActions, 'refreshAll' | 'copyDefaultToken'>> {
  const keeper = createClipboardKeeper(clipboard, systemTimers);
  app.once('will-quit', () => void keeper.clearNow());

  return {
    refreshAll: () => refreshAllProfiles(services.handlers),
    copyDefaultToken: () => copyProfileToken(services.handlers, keeper, copiedProfile),
  };
}
