import { readFile, stat } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expectNoAccessibilityViolations } from '../support/accessibility.js';
import { expect, test } from '../support/fixtures.js';
import { rewriteAsAnotherProgram, tokenExpiringAt } from '../support/other-program.js';
import {
  profileBlock,
  profilesText,
  secondsFromNow,
  type TestProfile,
} from '../support/profiles-text.js';

const clientId = '08a9ae8c-0668-428b-a691-f7eaa526aca0';
const pastedToken = 'pasted-token-0123456789-abcdefghijklmnop';

const production: TestProfile = {
  name: 'default',
  token: 'prod-token-0123456789-abcdefghijklmnop',
  expiresAt: secondsFromNow(3600),
  baseUrl: 'https://api.doover.com',
  dataBaseUrl: 'https://data.doover.com/api',
  authServerUrl: 'https://auth.doover.com',
  refreshToken: 'prod-refresh-0123456789',
};
const lab: TestProfile = {
  name: 'lab',
  token: 'lab-token-0123456789-abcdefghijklmnop',
  expiresAt: secondsFromNow(600),
  authServerUrl: 'http://127.0.0.1:9011',
};
const legacyBlock = '[profile=old]\nUSERNAME=ops@example.test\nPASSWORD=cGFzcw==\n';
/** Two profiles in pydoover's own form, then a Doover 1 entry the app does not manage. */
const original = `${profilesText([production, lab])}\n\n${legacyBlock}`;

/** The profile block pydoover writes, with every key in its order. */
function pydooverBlock(name: string, values: Record<string, string>): string {
  const keys = [
    'TOKEN',
    'TOKEN_EXPIRES',
    'AGENT_ID',
    'BASE_URL',
    'REFRESH_TOKEN',
    'REFRESH_TOKEN_ID',
    'BASE_DATA_URL',
    'AUTH_SERVER_URL',
    'AUTH_SERVER_CLIENT_ID',
  ];
  return `[profile=${name}]\n${keys.map((key) => `${key}=${values[key] ?? ''}\n`).join('')}`;
}

function option(page: Page, name: string) {
  return page.getByRole('option').filter({
    has: page.locator('.row-name', { hasText: new RegExp(`^${name}$`) }),
  });
}

async function selectProfile(page: Page, name: string) {
  await option(page, name).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

test.describe('editing profiles in browser mode', () => {
  let configPath = '';
  const fileText = () => readFile(configPath, 'utf8');

  test.beforeEach(async ({ profilesHome }) => {
    configPath = profilesHome.configPath;
    await profilesHome.writeConfig(original);
  });

  test('creates a profile in pydoover’s form after a blank line, touching nothing else', async ({
    appPage,
  }) => {
    await appPage.getByRole('button', { name: 'New profile' }).click();
    const dialog = appPage.getByRole('dialog', { name: 'New profile' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Name')).toBeFocused();

    await dialog.getByLabel('Name').fill(' ops');
    await dialog.getByRole('button', { name: 'Create profile' }).click();
    await expect(dialog.getByText(/cannot start or end with a space/)).toBeVisible();
    await expectNoAccessibilityViolations(appPage);

    await dialog.getByLabel('Name').fill('ops');
    await dialog.getByRole('radio', { name: /Staging/ }).check();
    await dialog.getByLabel(/^Token/).fill(pastedToken);
    await dialog.getByRole('button', { name: 'Create profile' }).click();

    await expect(appPage.getByRole('heading', { level: 2, name: 'ops' })).toBeVisible();
    expect(await fileText()).toBe(
      `${original}\n${pydooverBlock('ops', {
        TOKEN: pastedToken,
        BASE_URL: 'https://api.staging.udoover.com',
        BASE_DATA_URL: 'https://data.staging.udoover.com/api',
        AUTH_SERVER_URL: 'https://auth.staging.udoover.com',
        AUTH_SERVER_CLIENT_ID: clientId,
      })}`,
    );
    await expect(appPage.locator('body')).not.toContainText(pastedToken);
    expect(await appPage.content()).not.toContain(pastedToken);
  });

  test('asks before a new profile replaces one of the same name, then rewrites it in place', async ({
    appPage,
  }) => {
    await appPage.getByRole('button', { name: 'New profile' }).click();
    const dialog = appPage.getByRole('dialog', { name: 'New profile' });
    await dialog.getByLabel('Name').fill('lab');
    await dialog.getByRole('button', { name: 'Create profile' }).click();

    const question = appPage.getByRole('alertdialog', { name: "Replace profile 'lab'?" });
    await expect(question).toBeVisible();
    await expectNoAccessibilityViolations(appPage);
    await question.getByRole('button', { name: 'Replace it' }).click();

    await expect(question).toBeHidden();
    const replaced = pydooverBlock('lab', {
      BASE_URL: 'https://api.doover.com',
      BASE_DATA_URL: 'https://data.doover.com/api',
      AUTH_SERVER_URL: 'https://auth.doover.com',
      AUTH_SERVER_CLIENT_ID: clientId,
    });
    await expect
      .poll(fileText)
      .toBe(`${profileBlock(production)}\n\n${replaced}\n\n${legacyBlock}`);
  });

  test('saves an edited address without undoing a token another program renewed meanwhile', async ({
    appPage,
  }) => {
    await appPage.getByRole('button', { name: 'Edit' }).click();
    const form = appPage.getByRole('form', { name: "Edit the fields of 'default'" });
    await expect(form).toBeVisible();
    await expectNoAccessibilityViolations(appPage);

    const renewed = { ...production, token: 'renewed-token-9876543210-zyxwvutsrq' };
    const rewritten = `${profilesText([renewed, lab])}\n\n${legacyBlock}`;
    rewriteAsAnotherProgram(configPath, rewritten);
    await expect(appPage.getByRole('log', { name: 'Notifications' })).toContainText(
      /default: token renewed by another program at \d{1,2}:\d{2}/,
    );
    await expectNoAccessibilityViolations(appPage);

    await form.getByLabel(/^Control API/).fill('https://api.example.com');
    await form.getByRole('button', { name: 'Save changes' }).click();

    await expect(form).toBeHidden();
    await expect(appPage.getByText('https://api.example.com')).toBeVisible();
    expect(await fileText()).toBe(
      rewritten.replace(
        'BASE_URL=https://api.doover.com',
        'BASE_URL=https://api.example.com',
      ),
    );
  });

  test('refuses an address that is not http(s) and writes nothing', async ({
    appPage,
  }) => {
    await appPage.getByRole('button', { name: 'Edit' }).click();
    const form = appPage.getByRole('form');
    await form.getByLabel(/^Data API/).fill('ftp://data.example.com');
    await form.getByRole('button', { name: 'Save changes' }).click();

    await expect(form.getByLabel(/^Data API/)).toBeFocused();
    await expect(form.getByText(/must start with https:\/\//)).toBeVisible();
    await expectNoAccessibilityViolations(appPage);
    expect(await fileText()).toBe(original);
  });

  test('renames, then duplicates as "Copy of …", changing only those blocks', async ({
    appPage,
  }) => {
    await appPage.getByRole('button', { name: 'Rename…' }).click();
    const rename = appPage.getByRole('dialog', { name: "Rename profile 'default'" });
    await expectNoAccessibilityViolations(appPage);
    await rename.getByLabel('New name').fill('production');
    await rename.getByLabel('New name').press('Enter');

    await expect(
      appPage.getByRole('heading', { level: 2, name: 'production' }),
    ).toBeVisible();
    const renamed = original.replace('[profile=default]', '[profile=production]');
    expect(await fileText()).toBe(renamed);

    await appPage.getByRole('button', { name: 'Duplicate…' }).click();
    const duplicate = appPage.getByRole('dialog', {
      name: "Duplicate profile 'production'",
    });
    await expect(duplicate.getByLabel('Name of the copy')).toHaveValue(
      'Copy of production',
    );
    await duplicate.getByRole('button', { name: 'Duplicate' }).click();

    await expect(
      appPage.getByRole('heading', { level: 2, name: 'Copy of production' }),
    ).toBeVisible();
    expect(await fileText()).toBe(
      `${renamed}\n${profileBlock({ ...production, name: 'Copy of production' })}`,
    );
  });

  test('deletes after a confirmation naming what goes, and Undo puts the same bytes back', async ({
    appPage,
  }) => {
    await appPage.getByRole('button', { name: 'Delete…' }).click();
    const question = appPage.getByRole('alertdialog', {
      name: "Delete profile 'default'?",
    });
    await expect(question).toContainText('its refresh token');
    await expect(question.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await expectNoAccessibilityViolations(appPage);
    await question.getByRole('button', { name: 'Delete profile' }).click();

    await expect(option(appPage, 'default')).toHaveCount(0);
    expect(await fileText()).toBe(`${profileBlock(lab)}\n\n${legacyBlock}`);
    const undo = appPage.getByRole('button', { name: "Undo deleting 'default'" });
    await expect(undo).toBeFocused();
    await expectNoAccessibilityViolations(appPage);

    await undo.click();

    await expect(option(appPage, 'default')).toHaveCount(1);
    expect(await fileText()).toBe(original);
  });

  test('shows an entry the app does not manage read-only, and deletes it after confirmation', async ({
    appPage,
  }) => {
    await appPage.getByText('1 entry this app does not manage is kept as it is').click();
    await appPage.getByRole('button', { name: 'View… entry [profile=old]' }).click();
    const dialog = appPage.getByRole('dialog', {
      name: 'An entry this app does not manage',
    });
    await expect(dialog.getByLabel('The entry’s text')).toContainText(
      'USERNAME=ops@example.test',
    );
    await expect(dialog).not.toContainText('cGFzcw==');
    await expectNoAccessibilityViolations(appPage);

    await dialog.getByRole('button', { name: 'Delete entry…' }).click();
    const question = appPage.getByRole('alertdialog', { name: 'Delete this entry?' });
    await expectNoAccessibilityViolations(appPage);
    await question.getByRole('button', { name: 'Delete entry' }).click();

    await expect(dialog).toBeHidden();
    await expect(appPage.getByText(/does not manage/)).toBeHidden();
    expect(await fileText()).toBe(profilesText([production, lab]));
  });

  test('repairs an unreadable expiry from the token’s own, after explaining why', async ({
    appPage,
    profilesHome,
  }) => {
    const expiry = secondsFromNow(1800);
    const broken = profileBlock({ ...lab, token: tokenExpiringAt(expiry) }).replace(
      /TOKEN_EXPIRES=.*\n/,
      'TOKEN_EXPIRES=2026-01-01T00:00:00Z\n',
    );
    await profilesHome.writeConfig(`${profileBlock(production)}\n\n${broken}`);
    await expect(appPage.getByText(/pydoover cannot read this file/)).toBeVisible();
    await selectProfile(appPage, 'lab');

    await appPage.getByRole('button', { name: 'Repair…' }).click();
    const question = appPage.getByRole('alertdialog', {
      name: "Repair the expiry of 'lab'?",
    });
    await expect(question).toContainText('every doover command fails');
    await expect(
      question.getByRole('radio', { name: /expiry the token carries/ }),
    ).toBeChecked();
    await expectNoAccessibilityViolations(appPage);
    await question.getByRole('button', { name: 'Repair' }).click();

    await expect(appPage.getByText(/pydoover cannot read this file/)).toBeHidden();
    expect(await fileText()).toBe(
      `${profileBlock(production)}\n\n${broken.replace(
        'TOKEN_EXPIRES=2026-01-01T00:00:00Z',
        `TOKEN_EXPIRES=${expiry}.0`,
      )}`,
    );
  });

  test('separates two profiles with no blank line between them, adding only that line', async ({
    appPage,
    profilesHome,
  }) => {
    // The pydoover fixture "no blank line between profiles": pydoover sees only
    // 'a', with b's TOKEN.
    await profilesHome.writeConfig('[profile=a]\nTOKEN=1\n[profile=b]\nTOKEN=2\n');
    await expect(option(appPage, 'a')).toHaveCount(1);
    await expect(option(appPage, 'b')).toHaveCount(0);
    await selectProfile(appPage, 'a');

    await appPage.getByRole('button', { name: 'Separate profiles…' }).click();
    const question = appPage.getByRole('alertdialog', {
      name: "Separate the profiles inside 'a'?",
    });
    await expect(question).toContainText("'b' is not seen at all");
    await expectNoAccessibilityViolations(appPage);
    await question.getByRole('button', { name: 'Separate profiles' }).click();

    await expect(question).toBeHidden();
    expect(await fileText()).toBe('[profile=a]\nTOKEN=1\n\n[profile=b]\nTOKEN=2\n');
    await expect(option(appPage, 'b')).toHaveCount(1);
    await expect(appPage.getByRole('option')).toHaveCount(2);
    await expect(
      appPage.getByRole('button', { name: 'Separate profiles…' }),
    ).toBeHidden();
  });

  test('lists the versions it replaced and restores one after confirmation', async ({
    appPage,
  }) => {
    await appPage.getByRole('button', { name: 'Rename…' }).click();
    await appPage.getByLabel('New name').fill('production');
    await appPage.getByLabel('New name').press('Enter');
    await expect(
      appPage.getByRole('heading', { level: 2, name: 'production' }),
    ).toBeVisible();

    await appPage.getByRole('button', { name: 'History' }).click();
    const row = appPage.getByRole('row').filter({ hasText: "Renamed profile 'default'" });
    await expect(row).toContainText('default, lab');
    await expectNoAccessibilityViolations(appPage);

    await row.getByRole('button', { name: /^Restore…/ }).click();
    const question = appPage.getByRole('alertdialog', { name: 'Restore this version?' });
    await expect(question).toContainText('It then holds: default, lab.');
    await expectNoAccessibilityViolations(appPage);
    await question.getByRole('button', { name: 'Restore' }).click();

    await expect(question).toBeHidden();
    await expect.poll(fileText).toBe(original);
    await expect(appPage.getByRole('row')).toHaveCount(3);
    await appPage.getByRole('button', { name: 'Profiles' }).click();
    await expect(option(appPage, 'default')).toHaveCount(1);
  });

  test('says in words what another program removed', async ({ appPage }) => {
    rewriteAsAnotherProgram(configPath, profilesText([production]));

    const log = appPage.getByRole('log', { name: 'Notifications' });
    await expect(log).toContainText("Profile 'lab' was removed by another program");
    await expectNoAccessibilityViolations(appPage);
    await log.getByRole('button', { name: 'Dismiss these notes' }).click();
    await expect(log).not.toContainText('removed');
  });
});

test.describe('creating the profiles file', () => {
  test('the first profile creates the file, readable by its owner only', async ({
    appPage,
    profilesHome,
  }) => {
    await expect(appPage.getByRole('heading', { name: 'No profiles yet' })).toBeVisible();
    await appPage.getByRole('button', { name: 'New profile' }).click();
    const dialog = appPage.getByRole('dialog', { name: 'New profile' });
    await expect(dialog.getByLabel('Name')).toHaveValue('default');
    await dialog.getByRole('button', { name: 'Create profile' }).click();

    await expect(
      appPage.getByRole('heading', { level: 2, name: 'default' }),
    ).toBeVisible();
    expect(await readFile(profilesHome.configPath, 'utf8')).toBe(
      pydooverBlock('default', {
        BASE_URL: 'https://api.doover.com',
        BASE_DATA_URL: 'https://data.doover.com/api',
        AUTH_SERVER_URL: 'https://auth.doover.com',
        AUTH_SERVER_CLIENT_ID: clientId,
      }),
    );
    expect((await stat(profilesHome.configPath)).mode & 0o777).toBe(0o600);
    await expectNoAccessibilityViolations(appPage);
  });
});
