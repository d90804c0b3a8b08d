import { homedir } from 'node:os';
import { app } from 'electron';
import { createAppServices } from './core/app-services.js';
import { createLogger } from './core/logger.js';
import {
  claimSingleInstance,
  setupDataDir,
  setupServiceShutdown,
  setupWindowLifecycle,
} from './shell/app-lifecycle.js';
import { setupIpc } from './shell/ipc.js';
import { createMainWindow } from './shell/main-window.js';
import {
  setupContentSecurityPolicy,
  setupPermissionPolicy,
  setupSecurityGuards,
} from './shell/security-guards.js';
import { appFiles } from './shell/window-options.js';

const log = createLogger();
const files = appFiles(import.meta.dirname);

async function main(): Promise<void> {
  setupSecurityGuards(log);
  // Electron keys the single-instance lock to the userData folder, so set that first.
  const dataDir = setupDataDir();
  if (!claimSingleInstance()) return;

  await app.whenReady();
  setupPermissionPolicy();
  setupContentSecurityPolicy();

  const services = createAppServices({ dataDir, homeDir: homedir(), log });
  await services.start();
  setupServiceShutdown(services, log);
  setupIpc(services, { appUrl: files.appUrl, log });

  const openWindow = () => void createMainWindow(files, log);
  setupWindowLifecycle(openWindow);
  openWindow();
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, 'the app could not start');
  app.exit(1);
});
