import { join } from 'node:path';
import {
  app,
  Menu,
  nativeImage,
  Notification,
  Tray,
  type BrowserWindow,
  type NativeImage,
} from 'electron';
import { scopedLogger, type Logger } from '../core/logger.js';
import {
  autostartFilePath,
  hiddenStartFlag,
  isAutostartEnabled,
  loginCommand,
  setAutostart,
} from './tray-autostart.js';
import { trayIconPng, trayIconSize } from './tray-icons.js';
import { trayMenuTemplate, type ReportFailure, type TrayActions } from './tray-menu.js';
import { claimFirstCloseNotice } from './tray-notice.js';
import { trayStatus, type TrayState, type TrayStatusInputs } from './tray-status.js';

export type { TrayActions } from './tray-menu.js';

/** The app's tray icon, as main and the services see it. */
export interface AppTray {
  /** Shows the worst state of the profiles and the keychain in the icon and tooltip. */
  showStatus(inputs: TrayStatusInputs): void;
}

/**
 * The tray icon (the menu bar on macOS) and its menu. It lives until the app
 * quits; the quit handler destroys it, which also keeps it from being
 * garbage-collected (and vanishing) while the app runs.
 */
export function setupTray(actions: TrayActions, log: Logger): AppTray {
  const trayLog = scopedLogger(log, 'tray');
  const tray = new Tray(trayImage('fine'));
  let shownState: TrayState = 'fine';
  tray.setToolTip(trayStatus({ profiles: [], keychain: null }).tooltip);
  app.once('will-quit', () => tray.destroy());

  const loginItem = platformLoginItem();
  const reportFailure = notifyFailure(trayLog);
  const updateMenu = async () => {
    const startsAtLogin = await loginItem.isEnabled();
    const setStartAtLogin = (enabled: boolean) =>
      void loginItem
        .setEnabled(enabled)
        .catch((error: unknown) =>
          reportFailure('Start at login was not changed', String(error), error),
        )
        .finally(() => void updateMenu());
    tray.setContextMenu(
      Menu.buildFromTemplate(
        trayMenuTemplate(actions, { startsAtLogin, setStartAtLogin, reportFailure }),
      ),
    );
  };
  void updateMenu();
  // macOS opens the menu on click; elsewhere a click is the quick way back to the window.
  if (process.platform !== 'darwin') tray.on('click', () => actions.openWindow());

  return {
    showStatus(inputs) {
      const status = trayStatus(inputs);
      if (status.state !== shownState) tray.setImage(trayImage(status.state));
      shownState = status.state;
      tray.setToolTip(status.tooltip);
    },
  };
}

const trayImages = new Map<TrayState, NativeImage>();

/** The icon at the platform's tray size, with a double-size copy for high-density screens. */
function trayImage(state: TrayState): NativeImage {
  let image = trayImages.get(state);
  if (image === undefined) {
    const size = trayIconSize(process.platform);
    image = nativeImage.createEmpty();
    image.addRepresentation({ scaleFactor: 1, buffer: trayIconPng(state, size) });
    image.addRepresentation({ scaleFactor: 2, buffer: trayIconPng(state, size * 2) });
    trayImages.set(state, image);
  }

  return image;
}

interface LoginItem {
  isEnabled(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
}

/**
 * Start at login: Electron's login-item settings on macOS and Windows, an XDG
 * autostart entry on Linux (where those settings do nothing).
 */
function platformLoginItem(): LoginItem {
  if (process.platform === 'linux') {
    const path = autostartFilePath();
    const command = loginCommand({
      execPath: process.execPath,
      env: process.env,
      appPath: process.defaultApp ? app.getAppPath() : undefined,
    });
    return {
      isEnabled: () => isAutostartEnabled(path),
      setEnabled: (enabled) => setAutostart(path, enabled ? command : null),
    };
  }

  // Windows compares the arguments too, so both calls name the same ones.
  const args = [hiddenStartFlag];
  return {
    isEnabled: async () => app.getLoginItemSettings({ args }).openAtLogin,
    setEnabled: async (openAtLogin) => app.setLoginItemSettings({ openAtLogin, args }),
  };
}

/** Whether the session started the app at login: it then starts in the tray only. */
export function startedAtLogin(): boolean {
  if (process.argv.includes(hiddenStartFlag)) return true;
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}

/** Shows a notification, where the desktop supports them. */
export function notify(title: string, body: string): void {
  if (Notification.isSupported()) {
    new Notification({ title, body, silent: true }).show();
  }
}

/** Reports a failed menu action to the user, and an unexpected error to the log. */
export function notifyFailure(log: Logger): ReportFailure {
  return (title, message, error) => {
    if (error !== undefined) log.error({ err: error }, `${title}: the action threw`);
    notify(title, message);
  };
}

/**
 * One app window for the whole run. Returns the function that shows it,
 * creating it the first time (or after it was destroyed). Closing the window
 * only hides it, so the app keeps renewing tokens from the tray; the first
 * time ever, a notification says where the app went.
 */
export function keepWindowInTray(
  createWindow: () => BrowserWindow,
  dataDir: string,
): () => void {
  let window: BrowserWindow | undefined;
  const noticeMarker = join(dataDir, 'tray-notice-shown');

  return () => {
    if (window === undefined || window.isDestroyed()) {
      window = createWindow();
      hideOnClose(window, noticeMarker);
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
}

function hideOnClose(window: BrowserWindow, noticeMarker: string): void {
  let quitting = false;
  const letClose = () => (quitting = true);
  app.on('before-quit', letClose);
  // Windows logs off without a before-quit; the window must not hold that up.
  window.on('query-session-end', letClose);
  window.once('closed', () => app.off('before-quit', letClose));

  window.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    window.hide();
    void claimFirstCloseNotice(noticeMarker).then((first) => {
      if (first) notify('Doover Profiles is still running', closeNoticeText());
    });
  });
}

function closeNoticeText(): string {
  const where = process.platform === 'darwin' ? 'menu bar' : 'tray';
  return `It keeps your tokens fresh from the ${where}. Choose Quit there to stop it.`;
}
