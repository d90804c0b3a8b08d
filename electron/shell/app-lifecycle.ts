import { app, nativeTheme } from 'electron';
import type { AppServices } from '../core/app-services.js';
import { defaultDataDir } from '../core/app-paths.js';
import type { Logger } from '../core/logger.js';

/**
 * Keeps Electron's userData folder identical to the one browser mode computes,
 * including its test override, so both shells share settings and history.
 */
export function setupDataDir(): string {
  app.setPath('userData', defaultDataDir());
  return app.getPath('userData');
}

/**
 * One running copy per user: two would watch and write the same files. A
 * second launch quits; the first copy shows its window (setupSecondInstance).
 */
export function claimSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }

  return true;
}

/**
 * A second launch brings the running copy's window forward, creating it if
 * the app started at login without one. Electron emits this after ready.
 */
export function setupSecondInstance(showWindow: () => void): void {
  app.on('second-instance', () => showWindow());
}

/** Light or dark as the system is set, for the page and for native menus and dialogs. */
export function setupSystemTheme(): void {
  nativeTheme.themeSource = 'system';
}

/**
 * Closing the window keeps the app in the tray, so the last window closes only
 * while quitting. The macOS dock icon brings the window back.
 */
export function setupWindowLifecycle(showWindow: () => void): void {
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => showWindow());
}

/** Lets the services finish (pending writes, timers) before the process exits. */
export function setupServiceShutdown(services: AppServices, log: Logger): void {
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    services
      .stop()
      .catch((error: unknown) =>
        log.error({ err: error }, 'services did not stop cleanly'),
      )
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
}
