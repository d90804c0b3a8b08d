import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../core/app-services.js';
import { createKeychain, type Keychain } from '../core/keychain/keychain.js';
import { HistoryStore } from '../core/history/history-store.js';
import { createLogger } from '../core/logger.js';
import { readProfileValues } from '../core/tokens/profile-values.js';
import { SettingsStore } from '../core/tokens/settings-store.js';
import { secretAccountFromValues } from '../core/tokens/sign-in-identity.js';
import {
  refusedExitCode,
  runDeleteCommand,
  runRenameCommand,
  runSeparateCommand,
  runSetCommand,
  type EditContext,
} from './edit-commands.js';

const fixture = resolve(
  import.meta.dirname,
  '../../../shared/fixtures/pydoover/04-legacy-doover1-block-kept.conf',
);
let folder: string;
let context: EditContext;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cli-edit-'));
  context = {
    path: join(folder, 'config'),
    dataDir: join(folder, 'data'),
    clock: systemClock,
    log: createLogger({ level: 'silent' }),
  };
  await writeFile(context.path, await readFile(fixture));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('the editing commands', () => {
  it('sets keys through the patch code, leaving the other blocks byte for byte', async () => {
    const before = await readFile(context.path, 'utf8');
    const output = await runSetCommand(context, 'default', [
      'AGENT_ID=42',
      'TOKEN_EXPIRES=1796316914',
    ]);

    expect(output).toMatchObject({ exitCode: 0, stderr: '' });
    const after = await readFile(context.path, 'utf8');
    const legacyBlock = before.split('\n\n')[0] ?? '';
    expect(after.startsWith(`${legacyBlock}\n\n`)).toBe(true);
    expect(after).toContain('\nAGENT_ID=42\n');
    expect(after).toContain('\nTOKEN_EXPIRES=1796316914.0\n');
  });

  it('creates a missing profile, renames and deletes it', async () => {
    expect(
      (await runSetCommand(context, 'lab', ['BASE_URL=http://127.0.0.1:9011'])).exitCode,
    ).toBe(0);
    expect((await runRenameCommand(context, 'lab', 'lab-2')).exitCode).toBe(0);
    expect(await readFile(context.path, 'utf8')).toContain('[profile=lab-2]\n');

    expect((await runDeleteCommand(context, 'lab-2')).exitCode).toBe(0);
    expect(await readFile(context.path, 'utf8')).not.toContain('lab-2');
  });

  it('refuses with a plain message and exit code 2, changing nothing', async () => {
    const before = await readFile(context.path, 'utf8');
    const cases = [
      await runSetCommand(context, 'default', ['NOT_A_KEY=1']),
      await runSetCommand(context, 'default', ['TOKEN_EXPIRES=2026-01-01']),
      await runSetCommand(context, 'default', ['BASE_URL=ftp://example.test']),
      await runSetCommand(context, ' padded', ['AGENT_ID=1']),
      await runRenameCommand(context, 'nobody', 'somebody'),
      await runDeleteCommand(context, 'nobody'),
    ];

    for (const output of cases) {
      expect(output.exitCode).toBe(refusedExitCode);
      expect(output.stderr.length).toBeGreaterThan(10);
    }
    expect(await readFile(context.path, 'utf8')).toBe(before);
  });
});

describe('a file other than the app’s own', () => {
  it('keeps its replaced versions apart and leaves the app’s settings of that name alone', async () => {
    const other = { ...context, otherFile: true };
    const settings = new SettingsStore(context.dataDir, context.log);
    await settings.load();
    await settings.updateProfile('default', { signInStore: 'file' });

    expect((await runSetCommand(other, 'default', ['AGENT_ID=7'])).exitCode).toBe(0);
    expect((await runRenameCommand(other, 'default', 'moved')).exitCode).toBe(0);

    const appHistory = new HistoryStore({ dataDir: context.dataDir, log: context.log });
    const fileHistory = new HistoryStore({
      dataDir: context.dataDir,
      log: context.log,
      otherFile: context.path,
    });
    expect(await appHistory.list()).toEqual([]);
    expect((await fileHistory.list()).map((entry) => entry.replacedBy)).toEqual([
      "Renamed profile 'default' to 'moved'",
      "Changed AGENT_ID of profile 'default'",
    ]);
    expect(await storedSettings('default')).toMatchObject({ signInStore: 'file' });
    expect(await storedSettings('moved')).toBeUndefined();
  });
});

describe('what the editing commands say', () => {
  const pastedToken = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.SECRETSIGxyz123';

  it('never repeats a token pasted where a KEY=VALUE belongs', async () => {
    for (const argument of [pastedToken, `TOKEN ${pastedToken}`, `${pastedToken}=x`]) {
      const output = await runSetCommand(context, 'default', [argument]);

      expect(output.exitCode).toBe(refusedExitCode);
      expect(output.stderr).not.toContain('SECRETSIG');
      expect(output.stderr).toMatch(
        /^Change 1 (is not KEY=VALUE|does not start with a profile key)/,
      );
    }
  });

  it('asks for a value when a key is given alone', async () => {
    const output = await runSetCommand(context, 'default', ['AGENT_ID=1', 'TOKEN']);

    expect(output.stderr).toBe(
      'Give TOKEN a value: TOKEN=VALUE (or TOKEN= to unset it).\n',
    );
  });

  it('offers what the command line can do when a rename would replace a profile', async () => {
    await runSetCommand(context, 'staging', ['AGENT_ID=1']);
    const output = await runRenameCommand(context, 'default', 'staging');

    expect(output).toMatchObject({
      exitCode: refusedExitCode,
      stderr:
        "A profile named 'staging' already exists. Delete it first (delete staging), or choose another name.\n",
    });
  });
});

describe('profiles Doover’s tools cannot see as they are', () => {
  const joined = '[profile=a]\nTOKEN=1\n[profile=b]\nTOKEN=2\n';

  it('refuses to edit profiles that run into one another, and separates them', async () => {
    await writeFile(context.path, joined);

    expect(await runSetCommand(context, 'a', ['AGENT_ID=x'])).toEqual({
      stdout: '',
      stderr:
        "Profile 'b' starts inside profile 'a' with no blank line before it, so " +
        'Doover’s tools read them as one profile. Separate them first (separate a), ' +
        'then edit.\n',
      exitCode: refusedExitCode,
    });
    expect((await runSetCommand(context, 'b', ['AGENT_ID=x'])).stderr).toContain(
      'Separate them first (separate a);',
    );
    expect((await runDeleteCommand(context, 'a')).exitCode).toBe(refusedExitCode);
    expect(await readFile(context.path, 'utf8')).toBe(joined);

    expect(await runSeparateCommand(context, 'a')).toEqual({
      stdout: "Separated profile 'b' from profile 'a'\n",
      stderr: '',
      exitCode: 0,
    });
    expect(await readFile(context.path, 'utf8')).toBe(
      '[profile=a]\nTOKEN=1\n\n[profile=b]\nTOKEN=2\n',
    );
    expect((await runSetCommand(context, 'a', ['AGENT_ID=x'])).exitCode).toBe(0);
    const after = await readFile(context.path, 'utf8');
    expect(after).toMatch(/^\[profile=a]\nTOKEN=1\nTOKEN_EXPIRES=\nAGENT_ID=x\n/);
    expect(after.endsWith('\n\n[profile=b]\nTOKEN=2\n')).toBe(true);
    expect((await runSeparateCommand(context, 'a')).exitCode).toBe(refusedExitCode);
  });

  it('does not create a profile beside a damaged entry of that name', async () => {
    const cutShort = '[profile=default]\nTOKEN=still-valid-token\nRE';
    await writeFile(context.path, cutShort);
    const output = await runSetCommand(context, 'default', ['AGENT_ID=w']);

    expect(output).toMatchObject({ exitCode: refusedExitCode, stdout: '' });
    expect(output.stderr).toMatch(
      /^The file holds a damaged entry for 'default', which Doover’s tools skip\. Line 3 has no “=”/,
    );
    expect(output.stderr).not.toContain('still-valid-token');
    expect(await readFile(context.path, 'utf8')).toBe(cutShort);
  });
});

const keyringRequired = process.env.DOOVER_TEST_KEYRING === '1';
const noSecretService =
  process.env.DBUS_SESSION_BUS_ADDRESS === undefined && process.env.DISPLAY === undefined;

/** Writes a profile whose sign-in the app keeps in the keychain. */
async function keychainProfile(name: string, keychain: Keychain, secret: string) {
  await writeFile(
    context.path,
    `[profile=${name}]\nBASE_URL=https://api.example.test\nAUTH_SERVER_URL=https://auth.example.test\nTOKEN=abc\n`,
  );
  const settings = new SettingsStore(context.dataDir, context.log);
  await settings.load();
  await settings.updateProfile(name, { signInStore: 'keychain', colour: '#336699' });
  const account = await accountOf(name);
  expect(await keychain.setSecret(account, secret)).toMatchObject({ ok: true });

  return account;
}

async function accountOf(name: string): Promise<string> {
  return secretAccountFromValues(
    name,
    'user',
    (await readProfileValues(context.path, name)) ?? new Map(),
  );
}

async function storedSettings(name: string) {
  const settings = new SettingsStore(context.dataDir, context.log);
  await settings.load();

  return settings.stored(name);
}

describe.runIf(keyringRequired)(
  'rename and delete with a real keychain',
  { timeout: 20_000 },
  () => {
    const keychain = createKeychain();
    const tag = `cli-edit-${randomBytes(4).toString('hex')}`;

    it('rename moves the keychain entry and the settings to the new name', async () => {
      const before = await keychainProfile(`${tag}-old`, keychain, 'refresh-secret');
      const output = await runRenameCommand(
        { ...context, keychain },
        `${tag}-old`,
        `${tag}-new`,
      );

      expect(output).toMatchObject({ exitCode: 0, stderr: '' });
      const after = await accountOf(`${tag}-new`);
      expect(await keychain.getSecret(after)).toEqual({
        ok: true,
        value: 'refresh-secret',
      });
      expect(await keychain.getSecret(before)).toEqual({ ok: true, value: null });
      expect(await storedSettings(`${tag}-new`)).toMatchObject({
        signInStore: 'keychain',
        colour: '#336699',
      });
      expect(await storedSettings(`${tag}-old`)).toBeUndefined();
      await keychain.deleteSecret(after);
    });

    it('delete removes the keychain entry and the settings', async () => {
      const account = await keychainProfile(`${tag}-gone`, keychain, 'refresh-secret');
      const output = await runDeleteCommand({ ...context, keychain }, `${tag}-gone`);

      expect(output).toMatchObject({ exitCode: 0, stderr: '' });
      expect(await keychain.getSecret(account)).toEqual({ ok: true, value: null });
      expect(await storedSettings(`${tag}-gone`)).toBeUndefined();
      expect(await readFile(context.path, 'utf8')).not.toContain(`${tag}-gone`);
    });
  },
);

describe.runIf(noSecretService && !keyringRequired)(
  'rename and delete with no Secret Service',
  () => {
    it('renames the file and the settings, and says the sign-in stayed in the keychain', async () => {
      const keychain = createKeychain();
      await writeFile(
        context.path,
        '[profile=lab]\nBASE_URL=https://api.example.test\nTOKEN=abc\n',
      );
      const settings = new SettingsStore(context.dataDir, context.log);
      await settings.load();
      await settings.updateProfile('lab', { signInStore: 'keychain' });

      const output = await runRenameCommand({ ...context, keychain }, 'lab', 'lab-2');

      expect(output.exitCode).toBe(0);
      expect(output.stdout).toContain('Its sign-in stays in the keychain under');
      expect(await readFile(context.path, 'utf8')).toContain('[profile=lab-2]\n');
      expect(await storedSettings('lab-2')).toMatchObject({ signInStore: 'keychain' });
    });
  },
);
