import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { startBrowserModeApp, type RunningApp } from './browser-mode-app.js';

export interface ProfilesHome {
  home: string;
  dataDir: string;
  configPath: string;
  /** Writes `~/.doover/config` as another program would. */
  writeConfig(text: string | Buffer): Promise<void>;
}

interface Fixtures {
  profilesHome: ProfilesHome;
  app: RunningApp;
  /** The app's page, open and showing its first snapshot. */
  appPage: Page;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  profilesHome: async ({}, use) => {
    const root = await mkdtemp(join(tmpdir(), 'doover-e2e-'));
    const home = join(root, 'home');
    const dataDir = join(root, 'data');
    await mkdir(join(home, '.doover'), { recursive: true });
    const configPath = join(home, '.doover', 'config');
    await use({
      home,
      dataDir,
      configPath,
      writeConfig: (text) => writeFile(configPath, text),
    });
    await rm(root, { recursive: true, force: true });
  },

  app: async ({ profilesHome }, use) => {
    const app = await startBrowserModeApp(profilesHome);
    await use(app);
    await app.stop();
  },

  appPage: async ({ page, app }, use) => {
    await page.goto(app.url);
    await expect(page.locator('[data-app-ready="true"]')).toBeVisible();
    await use(page);
  },
});

export { expect };
