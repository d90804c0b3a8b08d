import type { MenuItemConstructorOptions } from 'electron';
import type { Result } from '../../shared/result.js';

/**
 * What the tray and the application menu can do, as plain functions so the
 * menus can be built and clicked in tests. Services that may not exist yet
 * are optional: their menu items show, disabled, until they are given.
 */
export interface TrayActions {
  /** Shows the app window, creating it if needed. */
  openWindow(): void;
  /** Renews every profile that can be renewed, now. */
  refreshAll?: () => Promise<Result<unknown>>;
  /** Puts a fresh token of the `default` profile on the clipboard. */
  copyDefaultToken?: () => Promise<Result<unknown>>;
  /** Opens the folder holding the app's logs in the file manager. */
  openLogsFolder(): void;
  /** Quits the app; the services stop first. */
  quit(): void;
}

/**
 * Where a menu action reports a failed service call: a notification for the
 * user and, for an unexpected error, the log.
 */
export type ReportFailure = (title: string, message: string, error?: unknown) => void;

export interface TrayMenuOptions {
  /** Whether the app starts at login, for the checkbox. */
  startsAtLogin: boolean;
  setStartAtLogin(enabled: boolean): void;
  reportFailure: ReportFailure;
}

/** Keyboard shortcuts, shown next to the items in both menus. */
export const accelerators = {
  openWindow: 'CmdOrCtrl+O',
  refreshAll: 'CmdOrCtrl+R',
  copyDefaultToken: 'CmdOrCtrl+Shift+C',
  openLogsFolder: 'CmdOrCtrl+Shift+L',
  quit: 'CmdOrCtrl+Q',
} as const;

/** The tray menu: open, refresh all, copy the default token, start at login, logs, quit. */
export function trayMenuTemplate(
  actions: TrayActions,
  options: TrayMenuOptions,
): MenuItemConstructorOptions[] {
  return [
    {
      label: 'Open Doover Profiles',
      accelerator: accelerators.openWindow,
      click: () => actions.openWindow(),
    },
    { type: 'separator' },
    ...serviceItems(actions, options.reportFailure),
    { type: 'separator' },
    {
      label: 'Start at Login',
      type: 'checkbox',
      checked: options.startsAtLogin,
      click: (item) => options.setStartAtLogin(item.checked),
    },
    {
      label: 'Open Logs Folder',
      accelerator: accelerators.openLogsFolder,
      click: () => actions.openLogsFolder(),
    },
    { type: 'separator' },
    {
      label: 'Quit Doover Profiles',
      accelerator: accelerators.quit,
      click: () => actions.quit(),
    },
  ];
}

/** Refresh all and copy the default token: the items that call the services. */
export function serviceItems(
  actions: TrayActions,
  reportFailure: ReportFailure,
): MenuItemConstructorOptions[] {
  return [
    serviceItem('Refresh All', accelerators.refreshAll, actions.refreshAll, {
      failureTitle: 'Refresh failed',
      reportFailure,
    }),
    serviceItem(
      'Copy Token of “default”',
      accelerators.copyDefaultToken,
      actions.copyDefaultToken,
      {
        failureTitle: 'The token was not copied',
        reportFailure,
      },
    ),
  ];
}

function serviceItem(
  label: string,
  accelerator: string,
  action: (() => Promise<Result<unknown>>) | undefined,
  failure: { failureTitle: string; reportFailure: ReportFailure },
): MenuItemConstructorOptions {
  if (action === undefined) {
    return { label, accelerator, enabled: false };
  }

  return {
    label,
    accelerator,
    click: () => void runAction(action, failure.failureTitle, failure.reportFailure),
  };
}

/** Runs a service call from a menu; a failure is reported, never thrown into Electron. */
export async function runAction(
  action: () => Promise<Result<unknown>>,
  failureTitle: string,
  reportFailure: ReportFailure,
): Promise<void> {
  try {
    const result = await action();
    if (!result.ok) reportFailure(failureTitle, result.error.message);
  } catch (error) {
    reportFailure(
      failureTitle,
      'Something went wrong. The app’s log has the details.',
      error,
    );
  }
}
