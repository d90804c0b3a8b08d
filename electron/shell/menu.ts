import { app, Menu, shell } from 'electron';
import { logsDir } from '../core/log-files.js';
import { scopedLogger, type Logger } from '../core/logger.js';
import { applicationMenuTemplate } from './menu-template.js';
import { notifyFailure, type TrayActions } from './tray.js';

/** Puts the app's own menu in place of Electron's default one. */
export function setupApplicationMenu(actions: TrayActions, log: Logger): void {
  const template = applicationMenuTemplate(actions, {
    platform: process.platform,
    isPackaged: app.isPackaged,
    reportFailure: notifyFailure(scopedLogger(log, 'menu')),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Opens `<dataDir>/logs` in the file manager. */
export function openLogsFolder(dataDir: string, log: Logger): void {
  void shell.openPath(logsDir(dataDir)).then((problem) => {
    if (problem !== '')
      scopedLogger(log, 'menu').warn(`the logs folder did not open: ${problem}`);
  });
}
