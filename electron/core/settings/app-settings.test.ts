import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readSettings,
  settingsFilePath,
  updateSettings,
  writeSettings,
  type SettingsFileOptions,
} from './app-settings.js';
import { defaultSettings, type AppSettings } from './settings-schema.js';

const fixedNow = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

let root: string;
let options: SettingsFileOptions;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'app-settings-'));
  options = { dataDir: join(root, 'data'), clock: { now: () => fixedNow } };
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function withProfile(name: string, label: string | null = null): AppSettings {
  const settings = defaultSettings();
  settings.profiles[name] = {
    signInStore: 'keychain',
    kind: 'user',
    serviceAccountClientId: null,
    colour: '#3b82f6',
    label,
  };
  return settings;
}

async function mode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('reading and writing the settings file', () => {
  it('answers defaults when there is no file yet', async () => {
    expect(await readSettings(options)).toEqual({
      status: 'missing',
      settings: defaultSettings(),
    });
  });

  it('writes settings that read back the same', async () => {
    const settings = withProfile('my.profile [eu] = "x"; #1 ü', 'Label; with # signs');

    const written = await writeSettings(options, settings);

    expect(written).toEqual({ ok: true, value: settings });
    expect(await readSettings(options)).toEqual({ status: 'ok', settings });
  });

  it('keeps the file private: file 0600 in a folder 0700', async () => {
    await mkdir(options.dataDir, { mode: 0o755 });
    await chmod(options.dataDir, 0o755);

    await writeSettings(options, defaultSettings());

    expect(await mode(settingsFilePath(options.dataDir))).toBe(0o600);
    expect(await mode(options.dataDir)).toBe(0o700);
  });

  it('refuses settings that would not read back, and leaves the file alone', async () => {
    await writeSettings(options, withProfile('a', 'before'));
    const before = await readFile(settingsFilePath(options.dataDir), 'utf8');

    const refused = await writeSettings(
      options,
      withProfile('a', 'eyJhbGciOi.eyJzdWIiOi.c2ln'),
    );

    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('bad-request');
    expect(!refused.ok && refused.error.message).not.toContain('eyJ');
    expect(await readFile(settingsFilePath(options.dataDir), 'utf8')).toBe(before);
  });

  it('never writes anything but the settings it was given', async () => {
    await writeSettings(options, withProfile('default', 'Work'));
    const text = await readFile(settingsFilePath(options.dataDir), 'utf8');

    expect(text).not.toMatch(/token|password/i);
    expect(
      text
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => line.split(' = ')[0]),
    ).toEqual([
      'version',
      'clipboardClearSeconds',
      'notifications',
      'refreshLifetimeFraction',
      'refreshLeadSeconds',
      'refreshMinimumLeadSeconds',
      'signInStore',
      'kind',
      'colour',
      'label',
    ]);
  });
});

describe('a damaged settings file', () => {
  const damagedName = 'settings.ini.damaged-2026-01-02T03-04-05-678Z';

  it('is kept aside byte for byte and reported, not silently reset', async () => {
    const damaged = '[preferences]\nclipboardClearSeconds = 2\n; my note\n';
    await mkdir(options.dataDir, { recursive: true });
    await writeFile(settingsFilePath(options.dataDir), damaged);

    const read = await readSettings(options);

    expect(read.status).toBe('damaged');
    expect(read.settings).toEqual(defaultSettings());
    expect(read.status === 'damaged' && read.keptAs).toBe(
      join(options.dataDir, damagedName),
    );
    expect(read.status === 'damaged' && read.message).toBe(
      `The settings file was damaged (preferences: clipboardClearSeconds: Too small: expected number to be >=10). It was kept as ${damagedName} and default settings are in use.`,
    );
    expect(await readFile(join(options.dataDir, damagedName), 'utf8')).toBe(damaged);
    expect(await readdir(options.dataDir)).toEqual([damagedName]);
  });

  it('is kept aside when it is not UTF-8 text', async () => {
    await mkdir(options.dataDir, { recursive: true });
    await writeFile(
      settingsFilePath(options.dataDir),
      Buffer.from([0x5b, 0xff, 0xfe, 0x5d]),
    );

    const read = await readSettings(options);

    expect(read.status === 'damaged' && read.message).toContain('it is not UTF-8 text');
    expect(await readdir(options.dataDir)).toEqual([damagedName]);
  });

  it('does not overwrite an earlier damaged copy with the same time', async () => {
    await mkdir(options.dataDir, { recursive: true });
    for (const content of ['first\n', 'second\n']) {
      await writeFile(settingsFilePath(options.dataDir), content);
      await readSettings(options);
    }

    expect((await readdir(options.dataDir)).sort()).toEqual([
      damagedName,
      `${damagedName}-2`,
    ]);
    expect(await readFile(join(options.dataDir, `${damagedName}-2`), 'utf8')).toBe(
      'second\n',
    );
  });

  it('lets the next save start a fresh file beside the damaged copy', async () => {
    await mkdir(options.dataDir, { recursive: true });
    await writeFile(settingsFilePath(options.dataDir), '[nonsense]\n');

    const updated = await updateSettings(options, (current) => ({
      ...current,
      profiles: withProfile('default').profiles,
    }));

    expect(updated.ok).toBe(true);
    expect((await readdir(options.dataDir)).sort()).toEqual([
      'settings.ini',
      damagedName,
    ]);
    expect(await readFile(join(options.dataDir, damagedName), 'utf8')).toBe(
      '[nonsense]\n',
    );
  });
});

describe('updating the settings', () => {
  it('applies quick successive changes one after another', async () => {
    const names = ['a', 'b', 'c', 'd'];

    const results = await Promise.all(
      names.map((name) =>
        updateSettings(options, (current) => ({
          ...current,
          profiles: { ...current.profiles, ...withProfile(name).profiles },
        })),
      ),
    );

    expect(results.every((result) => result.ok)).toBe(true);
    const read = await readSettings(options);
    expect(Object.keys(read.settings.profiles).sort()).toEqual(names);
  });

  it('refuses to write over a settings file it cannot read', async () => {
    await mkdir(settingsFilePath(options.dataDir), { recursive: true });

    const read = await readSettings(options);
    const updated = await updateSettings(options, (current) => current);

    expect(read).toMatchObject({ status: 'unreadable' });
    expect(read.status === 'unreadable' && read.message).toBe(
      'The settings file could not be read (EISDIR).',
    );
    expect(updated).toMatchObject({ ok: false, error: { code: 'file-unreadable' } });
  });

  it('keeps going after a change that throws', async () => {
    const failing = updateSettings(options, () => {
      throw new Error('change failed');
    });
    const next = updateSettings(options, () => withProfile('after'));

    await expect(failing).rejects.toThrow('change failed');
    expect((await next).ok).toBe(true);
  });
});
