import { expectNoAccessibilityViolations } from '../support/accessibility.js';
import {
  expect,
  fileValue,
  signInThroughTheWindow,
  test,
} from '../support/auth-server-fixture.js';

// Set by e2e/support/with-keyring.sh, which runs a real, private Secret Service.
const hasKeyring = process.env['DOOVER_TEST_KEYRING'] === '1';

test.describe('the keychain in browser mode', () => {
  test('the status panel says how the keychain is, in words', async ({ appPage }) => {
    await appPage.getByRole('button', { name: /^Keychain/ }).click();
    const panel = appPage.getByRole('dialog', { name: 'Keychain' });
    await expect(panel).toContainText(
      hasKeyring ? 'Keychain works.' : 'Keychain unavailable.',
    );
    await panel.getByRole('button', { name: 'Check again' }).click();
    await expect(panel.getByRole('button', { name: 'Check again' })).toBeVisible();
    await expectNoAccessibilityViolations(appPage);
    await panel.getByRole('button', { name: 'Close' }).click();
    await expect(panel).toBeHidden();
  });

  test('a sign-in moves to the file and back, the file checked at each step', async ({
    appPage,
    authServer,
    profilesHome,
  }) => {
    test.skip(
      !hasKeyring,
      'needs a Secret Service: run under e2e/support/with-keyring.sh',
    );
    await signInThroughTheWindow(appPage, authServer, 'lab', 'keeper@example.com');
    await appPage.getByRole('button', { name: 'Done' }).click();
    const place = appPage.getByRole('region', { name: 'Where the sign-in lives' });
    await expect(place).toContainText('Keychain (protected)');
    expect(await fileValue(profilesHome.configPath, 'lab', 'REFRESH_TOKEN')).toBe('');
    await expectNoAccessibilityViolations(appPage);

    await place.getByRole('button', { name: 'Move to the config file' }).click();
    await expect(place).toContainText('Config file (command-line tools');
    await expect
      .poll(() => fileValue(profilesHome.configPath, 'lab', 'REFRESH_TOKEN'))
      .not.toBe('');

    await place.getByRole('button', { name: 'Move to the keychain' }).click();
    await expect(place).toContainText('Keychain (protected)');
    await expect
      .poll(() => fileValue(profilesHome.configPath, 'lab', 'REFRESH_TOKEN'))
      .toBe('');
    // The token keeps working from the keychain.
    await appPage.getByRole('button', { name: 'Refresh' }).click();
    await expect(appPage.getByText(/Got a new token/)).toBeVisible();
  });
});
