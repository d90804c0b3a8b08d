import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.js';
import { profilesText, secondsFromNow } from '../support/profiles-text.js';

const productionToken = 'prod-token-0123456789-abcdefghijklmnop';

async function expectNoAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((violation) => `${violation.id}: ${violation.help}`),
  ).toEqual([]);
}

test.describe('the profiles list in browser mode', () => {
  test.beforeEach(async ({ profilesHome }) => {
    await profilesHome.writeConfig(
      profilesText([
        {
          name: 'default',
          token: productionToken,
          expiresAt: secondsFromNow(42 * 60),
          baseUrl: 'https://api.doover.com',
          authServerUrl: 'https://auth.doover.com',
        },
        {
          name: 'staging',
          token: 'staging-token-0123456789-abcdefghijkl',
          expiresAt: secondsFromNow(-3 * 3600),
          authServerUrl: 'https://auth.staging.udoover.com',
        },
        { name: 'lab', authServerUrl: 'http://127.0.0.1:9011' },
      ]) + '\n\n[profile=old]\nUSERNAME=ops@example.test\nPASSWORD=cGFzcw==\n',
    );
  });

  test('shows every profile in file order with its environment and status in words', async ({
    appPage,
  }) => {
    const rows = appPage.getByRole('option');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText('default');
    await expect(rows.nth(0)).toContainText('Production');
    await expect(rows.nth(0)).toContainText(/Valid, expires in 4[12] min/);
    await expect(rows.nth(1)).toContainText('Staging');
    await expect(rows.nth(1)).toContainText('Expired 3 h ago');
    await expect(rows.nth(2)).toContainText('127.0.0.1:9011');
    await expect(rows.nth(2)).toContainText('No token');
    await expect(
      appPage.getByText('1 entry this app does not manage is kept as it is'),
    ).toBeVisible();
    await expect(appPage.locator('body')).not.toContainText(productionToken);
    await expectNoAccessibilityViolations(appPage);
  });

  test('counts down live from one shared clock', async ({ appPage }) => {
    const countdown = appPage.getByRole('option').first().locator('.countdown');
    const first = await countdown.textContent();
    await expect(countdown).not.toHaveText(first ?? '', { timeout: 3_000 });
  });

  test('follows a change another program writes to the file', async ({
    appPage,
    profilesHome,
  }) => {
    await expect(appPage.getByRole('option')).toHaveCount(3);
    await profilesHome.writeConfig(
      profilesText([
        { name: 'written-by-cli', token: 'x', expiresAt: secondsFromNow(600) },
      ]),
    );

    await expect(appPage.getByRole('option')).toHaveCount(1, { timeout: 2_000 });
    await expect(appPage.getByRole('option').first()).toContainText('written-by-cli');
  });

  test('filters by name or host as the user types', async ({ appPage }) => {
    const search = appPage.getByRole('searchbox');
    await search.fill('stag');
    await expect(appPage.getByRole('option')).toHaveCount(1);
    await search.fill('127.0.0.1');
    await expect(appPage.getByRole('option')).toHaveText([/lab/]);
    await search.fill('');
    await expect(appPage.getByRole('option')).toHaveCount(3);
  });

  test('shows a token only when the user asks', async ({ appPage }) => {
    await appPage.getByRole('option').first().click();
    await expect(appPage.getByText('prod…mnop')).toBeVisible();
    await appPage.getByRole('button', { name: 'Show token' }).click();
    await expect(appPage.getByText(productionToken)).toBeVisible();
    await appPage.getByRole('button', { name: 'Hide token' }).click();
    await expect(appPage.locator('body')).not.toContainText(productionToken);
  });

  test('is usable from the keyboard alone', async ({ appPage }) => {
    await appPage.getByRole('listbox', { name: 'Profiles' }).focus();
    await appPage.keyboard.press('ArrowDown');
    await expect(appPage.getByRole('option', { selected: true })).toContainText(
      'staging',
    );
    await expect(appPage.getByRole('heading', { name: 'staging' })).toBeVisible();
  });
});

test.describe('the file states', () => {
  test('a missing file shows where it would be', async ({ appPage, profilesHome }) => {
    await expect(appPage.getByRole('heading', { name: 'No profiles yet' })).toBeVisible();
    await expect(appPage.getByText(profilesHome.configPath)).toBeVisible();
    await expectNoAccessibilityViolations(appPage);
  });

  test('a file that is not UTF-8 says why and what to do', async ({
    page,
    app,
    profilesHome,
  }) => {
    await profilesHome.writeConfig(Buffer.from([0x5b, 0xff, 0xfe, 0x0a]));
    await page.goto(app.url);
    await expect(
      page.getByRole('heading', { name: 'The profiles file cannot be read' }),
    ).toBeVisible();
    await expect(page.getByText('not UTF-8')).toBeVisible();
    await expectNoAccessibilityViolations(page);
  });
});

test.describe('the browser-mode server', () => {
  test('refuses calls without the launch secret or from a foreign origin', async ({
    app,
    request,
  }) => {
    const call = `${app.origin}/api/call/profiles:get-snapshot`;
    const withoutSecret = await request.post(call, { data: {} });
    expect(withoutSecret.status()).toBe(403);

    const foreign = await request.post(call, {
      data: {},
      headers: { authorization: `Bearer ${app.secret}`, origin: 'https://evil.example' },
    });
    expect(foreign.status()).toBe(403);

    const allowed = await request.post(call, {
      data: {},
      headers: { authorization: `Bearer ${app.secret}` },
    });
    expect(allowed.status()).toBe(200);
    expect(JSON.stringify(await allowed.json())).not.toContain(productionToken);
  });
});
