import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** Where the built app's pieces sit, relative to the compiled main process. */
export interface AppFiles {
  /** The sandboxed preload, one CommonJS file built by `vite build --mode preload`. */
  preloadPath: string;
  indexHtmlPath: string;
  /** The file URL of index.html: the only page allowed to call the main process. */
  appUrl: string;
}

/** The app's files, given the folder holding the compiled main.js (dist/electron). */
export function appFiles(distElectronDir: string): AppFiles {
  const indexHtmlPath = join(distElectronDir, '..', 'renderer', 'index.html');

  return {
    preloadPath: join(distElectronDir, 'preload.cjs'),
    indexHtmlPath,
    appUrl: pathToFileURL(indexHtmlPath).href,
  };
}

/**
 * The web preferences of every window the app opens. The page runs sandboxed
 * in its own JavaScript world with no Node; it reaches the main process only
 * through the preload's named methods.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** The one place that sets BrowserWindow defaults. */
export function mainWindowOptions(files: AppFiles): BrowserWindowConstructorOptions {
  return {
    title: 'Doover Profiles',
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    webPreferences: secureWebPreferences(files.preloadPath),
  };
}
