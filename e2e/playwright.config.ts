import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive browser mode (the same main-process services in Node,
 * the same renderer) with Debian's Chromium. Each test gets its own home
 * folder, data folder and app process (see support/fixtures.ts).
 */
export default defineConfig({
  testDir: './specs',
  outputDir: '../test-results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  // One app, one browser and one auth server at a time: on two cores, two
  // workers made waits time out for being slow, not wrong.
  workers: 1,
  retries: process.env.CI_NO_RETRIES ? 0 : 1,
  reporter: [['list'], ['json', { outputFile: '../.reports/playwright.json' }]],
  use: {
    trace: 'on-first-retry',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
