import type { MenuItemConstructorOptions } from 'electron';
import {
  accelerators,
  serviceItems,
  type ReportFailure,
  type TrayActions,
} from './tray-menu.js';

export interface ApplicationMenuOptions {
  platform: NodeJS.Platform;
  /** Reload and the developer tools are offered only when running from sources. */
  isPackaged: boolean;
  reportFailure: ReportFailure;
}

/**
 * The application menu (the menu bar on macOS, the window's menu elsewhere).
 * The main actions carry the same shortcuts as in the tray menu; the Edit
 * menu's roles give text fields their usual copy and paste keys on macOS.
 */
export function applicationMenuTemplate(
  actions: TrayActions,
  options: ApplicationMenuOptions,
): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';

  return [
    ...(isMac ? [macAppMenu(actions)] : []),
    fileMenu(actions, options.reportFailure, isMac),
    { role: 'editMenu' },
    viewMenu(options.isPackaged),
    { role: 'windowMenu' },
    ...(isMac ? [] : [{ role: 'help' as const, submenu: [{ role: 'about' as const }] }]),
  ];
}

function macAppMenu(actions: TrayActions): MenuItemConstructorOptions {
  return {
    role: 'appMenu',
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      quitItem(actions),
    ],
  };
}

function fileMenu(
  actions: TrayActions,
  reportFailure: ReportFailure,
  isMac: boolean,
): MenuItemConstructorOptions {
  return {
    label: '&File',
    submenu: [
      {
        label: 'Open Window',
        accelerator: accelerators.openWindow,
        click: () => actions.openWindow(),
      },
      { type: 'separator' },
      ...serviceItems(actions, reportFailure),
      { type: 'separator' },
      {
        label: 'Open Logs Folder',
        accelerator: accelerators.openLogsFolder,
        click: () => actions.openLogsFolder(),
      },
      { type: 'separator' },
      { role: 'close' },
      ...(isMac ? [] : [quitItem(actions)]),
    ],
  };
}

function viewMenu(isPackaged: boolean): MenuItemConstructorOptions {
  const development: MenuItemConstructorOptions[] = isPackaged
    ? []
    : [
        { role: 'reload', accelerator: 'CmdOrCtrl+Shift+R' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
      ];

  return {
    label: '&View',
    submenu: [
      ...development,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
}

/** Quits through the app's own path, so the services stop before the process ends. */
function quitItem(actions: TrayActions): MenuItemConstructorOptions {
  return {
    label: 'Quit Doover Profiles',
    accelerator: accelerators.quit,
    click: () => actions.quit(),
  };
}
