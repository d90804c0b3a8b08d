import { expectNoAccessibilityViolations } from '../support/accessibility.js';
import {
  expect,
  fileValue,
  signInThroughTheWindow,
  test,
} from '../support/auth-server-fixture.js';

const email = 'operator@example.com';

test.describe('signing in through the window against a real auth server', () => {
  test('signs in, refreshes, copies with clearing, and signs out', async ({
    appPage,
    authServer,
    profilesHome,
    context,
    app,
  }) => {
    await signInThroughTheWindow(appPage, authServer, 'lab', email);
    await expect(appPage.getByRole('dialog')).toContainText(/keychain|config file/i);
    await appPage.getByRole('button', { name: 'Done' }).click();

    const row = appPage.getByRole('option').filter({ hasText: 'lab' });
    await expect(row).toBeVisible();
    await expect(row.locator('.countdown')).toHaveText(/\d+:\d\d/);
    const firstToken = await fileValue(profilesHome.configPath, 'lab', 'TOKEN');
    expect(firstToken).not.toBe('');

    // Refresh: the file gets a new token.
    await appPage.getByRole('button', { name: 'Refresh' }).click();
    await expect(appPage.getByText(/Got a new token/)).toBeVisible();
    await expect
      .poll(() => fileValue(profilesHome.configPath, 'lab', 'TOKEN'))
      .not.toBe(firstToken);

    // Copy, with the shortest clearing delay.
    await appPage.getByRole('button', { name: 'Preferences' }).click();
    await appPage
      .getByRole('combobox', { name: /Clear a copied token/ })
      .selectOption('10');
    await appPage.getByRole('button', { name: 'Save' }).click();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: app.origin,
    });
    await appPage.getByRole('button', { name: 'Copy token' }).click();
    await expect(appPage.getByText('Copied, clears in 10 s')).toBeVisible();
    const copied = await appPage.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await fileValue(profilesHome.configPath, 'lab', 'TOKEN'));
    await expect(appPage.locator('body')).not.toContainText(copied);
    await expect
      .poll(() => appPage.evaluate(() => navigator.clipboard.readText()), {
        timeout: 20_000,
      })
      .toBe('');

    // Sign out: the token goes, the addresses stay.
    await appPage.getByRole('button', { name: 'Sign out…' }).click();
    const confirm = appPage.getByRole('alertdialog', { name: "Sign out of 'lab'?" });
    await expectNoAccessibilityViolations(appPage);
    await confirm.getByRole('button', { name: 'Sign out' }).click();
    await expect(confirm).toBeHidden();
    await expect.poll(() => fileValue(profilesHome.configPath, 'lab', 'TOKEN')).toBe('');
    expect(await fileValue(profilesHome.configPath, 'lab', 'AUTH_SERVER_URL')).toBe(
      authServer.url,
    );
  });

  test('shows the code dialog accessibly and cancels it', async ({
    appPage,
    authServer,
  }) => {
    await appPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    const dialog = appPage.getByRole('dialog', { name: 'Sign in' });
    await expect(dialog.getByRole('textbox', { name: 'Profile name' })).toHaveValue(
      'default',
    );
    await dialog.getByRole('radio', { name: /Staging/ }).check();
    await expect(dialog.getByRole('textbox', { name: 'Profile name' })).toHaveValue(
      'staging',
    );
    await expectNoAccessibilityViolations(appPage);

    await dialog.getByRole('radio', { name: /Custom/ }).check();
    await dialog.getByRole('textbox', { name: 'Auth server' }).fill(authServer.url);
    await dialog.getByRole('textbox', { name: 'Control API' }).fill(authServer.url);
    await dialog.getByRole('textbox', { name: 'Data API' }).fill(authServer.dataApiUrl);
    await dialog.getByRole('textbox', { name: 'Client ID' }).fill(authServer.clientId);
    await dialog.getByRole('textbox', { name: 'Profile name' }).fill('trial');
    await dialog.getByRole('button', { name: 'Get sign-in code' }).click();
    await expect(dialog.getByRole('img', { name: /QR code/ })).toBeVisible();
    await expect(
      dialog.getByText(/Check that the code the page shows matches/),
    ).toBeVisible();
    await expectNoAccessibilityViolations(appPage);

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });
});
