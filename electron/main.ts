import { homedir } from 'node:os';
import { app } from 'electron';
import { createAppServices } from './core/app-services.js';
import { createFileLogger } from './core/log-files.js';
import type { Logger } from './core/logger.js';
import {
  claimSingleInstance,
  setupDataDir,
  setupSecondInstance,
  setupServiceShutdown,
  setupSystemTheme,
  setupWindowLifecycle,
} from './shell/app-lifecycle.js';
import { setupIpc } from './shell/ipc.js';
import { setupPowerEvents } from './shell/power-events.js';
import { createMainWindow } from './shell/main-window.js';
import { openLogsFolder, setupApplicationMenu } from './shell/menu.js';
import {
  setupContentSecurityPolicy,
  setupPermissionPolicy,
  setupSecurityGuards,
} from './shell/security-guards.js';
import {
  keepWindowInTray,
  setupTray,
  startedAtLogin,
  type TrayActions,
} from './shell/tray.js';
import { followTrayStatus, serviceTrayActions } from './shell/tray-wiring.js';
import { appFiles } from './shell/window-options.js';

const files = appFiles(import.meta.dirname);

async function main(): Promise<void> {
  // Electron keys the single-instance lock to the userData folder, so set that first.
  const dataDir = setupDataDir();
  if (!claimSingleInstance()) return;

  // Only the one running copy writes (and rotates) the log file.
  const log = createFileLogger(dataDir);
  await startApp(dataDir, log).catch((error: unknown) => {
    log.fatal({ err: error }, 'the app could not start');
    app.exit(1);
  });
}

async function startApp(dataDir: string, log: Logger): Promise<void> {
  setupSecurityGuards(log);
  setupSystemTheme();

  await app.whenReady();
  setupPermissionPolicy(files.appUrl);
  setupContentSecurityPolicy();

  const services = createAppServices({ dataDir, homeDir: homedir(), log });
  const trayStatus = followTrayStatus(services);
  await services.start();
  setupServiceShutdown(services, log);
  setupPowerEvents(services);
  setupIpc(services, { appUrl: files.appUrl, log });

  const showWindow = keepWindowInTray(() => createMainWindow(files, log), dataDir);
  const actions: TrayActions = {
    openWindow: showWindow,
    ...serviceTrayActions(services),
    openLogsFolder: () => openLogsFolder(dataDir, log),
    quit: () => app.quit(),
  };
  setupApplicationMenu(actions, log);
  const tray = setupTray(actions, log);
  trayStatus.showIn((inputs) => tray.showStatus(inputs));
  setupSecondInstance(showWindow);
  setupWindowLifecycle(showWindow);
  if (!startedAtLogin()) showWindow();
}

main().catch((error: unknown) => {
  process.stderr.write(`Doover Profiles could not start: ${String(error)}\n`);
  app.exit(1);
});
