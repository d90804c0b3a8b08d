import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';
import { startAuthServer, type AuthServer } from '../auth-server/auth-server.js';
import { test as base } from './fixtures.js';

/** The test auth server, started in the test process for one test. */
export const test = base.extend<{ authServer: AuthServer }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  authServer: async ({}, use) => {
    const server = await startAuthServer();
    await use(server);
    await server.close();
  },
});

export { expect };

/** One key of one profile as it stands in the file on disk ('' when empty or absent). */
export async function fileValue(
  configPath: string,
  profile: string,
  key: string,
): Promise<string> {
  const text = await readFile(configPath, 'utf8').catch(() => '');
  const block = text.split(/^\[profile=/m).find((part) => part.startsWith(`${profile}]`));
  const line = block?.split('\n').find((each) => each.startsWith(`${key}=`));

  return line?.slice(key.length + 1) ?? '';
}

/**
 * Signs in to a Custom environment pointing at the test server through the
 * window, approving in a second page opened from "Open sign-in page" with the
 * server's development sign-in pages (any login is accepted).
 */
export async function signInThroughTheWindow(
  page: Page,
  server: AuthServer,
  profile: string,
  email: string,
): Promise<void> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign in' });
  await dialog.getByRole('radio', { name: /Custom/ }).check();
  await dialog.getByRole('textbox', { name: 'Auth server' }).fill(server.url);
  await dialog.getByRole('textbox', { name: 'Control API' }).fill(server.url);
  await dialog.getByRole('textbox', { name: 'Data API' }).fill(server.dataApiUrl);
  await dialog.getByRole('textbox', { name: 'Client ID' }).fill(server.clientId);
  await dialog.getByRole('textbox', { name: 'Profile name' }).fill(profile);
  await dialog.getByRole('button', { name: 'Get sign-in code' }).click();
  await expect(dialog.locator('.user-code')).toHaveText(/\S+/);
  await expect(
    dialog.getByText('Waiting for you to approve in the browser'),
  ).toBeVisible();

  const popup = page.context().waitForEvent('page');
  await dialog.getByRole('link', { name: 'Open sign-in page' }).click();
  await approveOnVerificationPage(await popup, email);
  await expect(dialog.getByText(`Signed in as ${email}.`)).toBeVisible();
}

/** Goes through the verification, login and consent pages as a person would. */
async function approveOnVerificationPage(approval: Page, email: string): Promise<void> {
  for (let step = 0; step < 6; step += 1) {
    await approval.waitForLoadState();
    if ((await approval.content()).includes('Sign-in Success')) {
      await approval.close();
      return;
    }
    const login = approval.locator('input[name="login"]');
    if (await login.isVisible()) {
      await login.fill(email);
      await approval.locator('input[name="password"]').fill('any');
    }
    await Promise.all([
      approval.waitForNavigation(),
      approval.locator('button[type="submit"]:not([name="abort"])').first().click(),
    ]);
  }
  throw new Error(`approval did not finish: ${await approval.title()}`);
}
