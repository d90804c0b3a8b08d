import { BrowserWindow } from 'electron';
import type { Logger } from '../core/logger.js';
import { mainWindowOptions, type AppFiles } from './window-options.js';

/** Opens the app window on its page; it appears once the page has painted. */
export function createMainWindow(files: AppFiles, log: Logger): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(files));
  window.once('ready-to-show', () => window.show());
  window.loadFile(files.indexHtmlPath).catch((error: unknown) => {
    log.error({ err: error }, 'the app page could not be loaded');
  });

  return window;
}
