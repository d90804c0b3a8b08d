import { app, BrowserWindow } from 'electron';
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
 * second launch brings the first copy's window forward and quits.
 */
export function claimSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window !== undefined) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  return true;
}

/** Quits when the last window closes, except on macOS, where the dock reopens one. */
export function setupWindowLifecycle(createWindow: () => void): void {
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
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
