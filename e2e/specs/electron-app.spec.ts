import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { expect, test, type ProfilesHome } from '../support/fixtures.js';
import { profilesText, secondsFromNow } from '../support/profiles-text.js';

/**
 * The desktop app itself, on machines where Electron's runtime is installed.
 * Elsewhere (these CI machines cannot download it) the test is skipped with
 * the reason, and counted as skipped, not passed.
 */

const appDir = resolve(import.meta.dirname, '../..');
const token = 'desktop-token-0123456789-abcdefghijklmn';

/** The runtime node_modules/electron/path.txt names, found without loading the package. */
function findElectronBinary(): string | undefined {
  const packageDir = join(appDir, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;

  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const electronBinary = findElectronBinary();
const skipReason =
  'Electron runtime not installed (node_modules/electron/path.txt or its binary is missing): ' +
  'the desktop app cannot start on this machine';

/** Skips the running test, saying why in the output as well as in the report. */
function skipWithoutElectron(): void {
  console.log(`skipped: ${skipReason}`);
  test.skip(true, skipReason);
}

/** Starts the app from this checkout (built) with the test's own home and data folder. */
function launchDesktopApp(
  binary: string,
  home: ProfilesHome,
): Promise<ElectronApplication> {
  return electron.launch({
    executablePath: binary,
    args: [appDir],
    env: { ...process.env, HOME: home.home, DOOVER_PROFILES_DATA_DIR: home.dataDir },
  });
}

test.describe('the desktop app', () => {
  let app: ElectronApplication | undefined;

  test.afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  test('starts with a temporary home and lists the profiles of its config', async ({
    profilesHome,
  }) => {
    if (electronBinary === undefined) return skipWithoutElectron();

    await profilesHome.writeConfig(
      profilesText([
        {
          name: 'default',
          token,
          expiresAt: secondsFromNow(42 * 60),
          baseUrl: 'https://api.doover.com',
          authServerUrl: 'https://auth.doover.com',
        },
        { name: 'lab', authServerUrl: 'http://127.0.0.1:9011' },
      ]),
    );
    app = await launchDesktopApp(electronBinary, profilesHome);
    const window = await app.firstWindow();

    await expect(window.locator('[data-app-ready="true"]')).toBeVisible();
    const rows = window.getByRole('option');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('default');
    await expect(rows.nth(0)).toContainText('Production');
    await expect(rows.nth(1)).toContainText('127.0.0.1:9011');
    await expect(window.locator('body')).not.toContainText(token);
  });

  test('keeps running in the tray when the window closes, and logs to its data folder', async ({
    profilesHome,
  }) => {
    if (electronBinary === undefined) return skipWithoutElectron();

    await profilesHome.writeConfig(profilesText([{ name: 'default', token }]));
    const running = await launchDesktopApp(electronBinary, profilesHome);
    app = running;
    const window = await running.firstWindow();
    await expect(window.locator('[data-app-ready="true"]')).toBeVisible();

    await running.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]?.close(),
    );
    const windowShown = () =>
      running.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows().map((each) => each.isVisible()),
      );
    await expect.poll(windowShown).toEqual([false]);

    const log = await readFile(join(profilesHome.dataDir, 'logs', 'app.log'), 'utf8');
    expect(log).not.toContain(token);
  });
});
