import type { MenuItem, MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { fail, ok, type Result } from '../../shared/result.js';
import { applicationMenuTemplate } from './menu-template.js';
import {
  accelerators,
  runAction,
  trayMenuTemplate,
  type TrayActions,
} from './tray-menu.js';

interface Recorder {
  actions: TrayActions;
  calls: string[];
  failures: [string, string][];
  reportFailure: (title: string, message: string) => void;
}

function recorder(
  services: Partial<Pick<TrayActions, 'refreshAll' | 'copyDefaultToken'>> = {},
): Recorder {
  const calls: string[] = [];
  const failures: [string, string][] = [];
  return {
    calls,
    failures,
    reportFailure: (title, message) => failures.push([title, message]),
    actions: {
      openWindow: () => calls.push('open'),
      openLogsFolder: () => calls.push('logs'),
      quit: () => calls.push('quit'),
      ...services,
    },
  };
}

function byLabel(
  items: MenuItemConstructorOptions[],
  label: string,
): MenuItemConstructorOptions {
  const found = items.find((item) => item.label === label);
  if (found === undefined) throw new Error(`no menu item ${label}`);
  return found;
}

/** Clicks an item the way Electron does, with the item's current state. */
function click(item: MenuItemConstructorOptions, checked = false): void {
  const menuItem = { checked } as MenuItem;
  (item.click as (menuItem: MenuItem) => void)(menuItem);
}

function trayMenu(
  rec: Recorder,
  startsAtLogin = false,
  onLogin: (on: boolean) => void = () => {},
) {
  return trayMenuTemplate(rec.actions, {
    startsAtLogin,
    setStartAtLogin: onLogin,
    reportFailure: rec.reportFailure,
  });
}

describe('the tray menu', () => {
  it('lists open, refresh all, copy token, start at login, logs and quit, in that order', () => {
    const labels = trayMenu(recorder())
      .filter((item) => item.type !== 'separator')
      .map((item) => item.label);

    expect(labels).toEqual([
      'Open Doover Profiles',
      'Refresh All',
      'Copy Token of “default”',
      'Start at Login',
      'Open Logs Folder',
      'Quit Doover Profiles',
    ]);
  });

  it('opens the window, the logs folder, and quits through the given actions', () => {
    const rec = recorder();
    const menu = trayMenu(rec);
    click(byLabel(menu, 'Open Doover Profiles'));
    click(byLabel(menu, 'Open Logs Folder'));
    click(byLabel(menu, 'Quit Doover Profiles'));

    expect(rec.calls).toEqual(['open', 'logs', 'quit']);
  });

  it('shows the services items disabled until the services are given', () => {
    const menu = trayMenu(recorder());

    expect(byLabel(menu, 'Refresh All')).toMatchObject({ enabled: false });
    expect(byLabel(menu, 'Copy Token of “default”')).toMatchObject({ enabled: false });
  });

  it('calls the services when given, and reports a failure in the user’s words', async () => {
    let refreshed = 0;
    const rec = recorder({
      refreshAll: async () => {
        refreshed += 1;
        return ok(undefined);
      },
      copyDefaultToken: async () =>
        fail('keychain-locked', 'Unlock the keychain to copy the token.'),
    });
    const menu = trayMenu(rec);
    click(byLabel(menu, 'Refresh All'));
    click(byLabel(menu, 'Copy Token of “default”'));

    await expect
      .poll(() => rec.failures)
      .toEqual([['The token was not copied', 'Unlock the keychain to copy the token.']]);
    expect(refreshed).toBe(1);
    expect(byLabel(menu, 'Refresh All').enabled).not.toBe(false);
  });

  it('shows start at login as a checkbox and passes on the new state', () => {
    const chosen: boolean[] = [];
    const menu = trayMenu(recorder(), true, (on) => chosen.push(on));
    const item = byLabel(menu, 'Start at Login');

    expect(item).toMatchObject({ type: 'checkbox', checked: true });
    click(item, false);
    expect(chosen).toEqual([false]);
  });
});

describe('runAction', () => {
  it('turns a thrown error into a report instead of an unhandled rejection', async () => {
    const reports: unknown[][] = [];
    const problem = new Error('boom');

    await runAction(
      async (): Promise<Result<unknown>> => {
        throw problem;
      },
      'Refresh failed',
      (...report) => reports.push(report),
    );

    expect(reports).toEqual([
      ['Refresh failed', 'Something went wrong. The app’s log has the details.', problem],
    ]);
  });
});

describe('the application menu', () => {
  function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
    return items.flatMap((item) => [
      item,
      ...(Array.isArray(item.submenu) ? flatten(item.submenu) : []),
    ]);
  }

  it('carries the main actions with their shortcuts', () => {
    const items = flatten(
      applicationMenuTemplate(recorder().actions, {
        platform: 'linux',
        isPackaged: true,
        reportFailure: () => {},
      }),
    );

    expect(byLabel(items, 'Open Window').accelerator).toBe(accelerators.openWindow);
    expect(byLabel(items, 'Refresh All').accelerator).toBe(accelerators.refreshAll);
    expect(byLabel(items, 'Copy Token of “default”').accelerator).toBe(
      accelerators.copyDefaultToken,
    );
    expect(byLabel(items, 'Open Logs Folder').accelerator).toBe(
      accelerators.openLogsFolder,
    );
    expect(byLabel(items, 'Quit Doover Profiles').accelerator).toBe(accelerators.quit);
    expect(new Set(Object.values(accelerators)).size).toBe(
      Object.keys(accelerators).length,
    );
  });

  it('quits through the app’s own quit action on every platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const rec = recorder();
      const items = flatten(
        applicationMenuTemplate(rec.actions, {
          platform,
          isPackaged: true,
          reportFailure: () => {},
        }),
      );
      click(byLabel(items, 'Quit Doover Profiles'));

      expect(rec.calls, platform).toEqual(['quit']);
      expect(
        items.filter((item) => item.role === 'quit'),
        platform,
      ).toEqual([]);
    }
  });

  it('has the macOS app menu only on macOS', () => {
    const roles = (platform: NodeJS.Platform) =>
      applicationMenuTemplate(recorder().actions, {
        platform,
        isPackaged: true,
        reportFailure: () => {},
      }).map((item) => item.role ?? item.label);

    expect(roles('darwin')[0]).toBe('appMenu');
    expect(roles('linux')).not.toContain('appMenu');
  });

  it('offers reload and the developer tools only when not packaged', () => {
    const roles = (isPackaged: boolean) =>
      flatten(
        applicationMenuTemplate(recorder().actions, {
          platform: 'linux',
          isPackaged,
          reportFailure: () => {},
        }),
      ).map((item) => item.role);

    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(true)).not.toContain('reload');
    expect(roles(false)).toContain('toggleDevTools');
  });
});
