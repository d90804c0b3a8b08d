import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  autostartDesktopEntry,
  autostartFilePath,
  execValue,
  hiddenStartFlag,
  isAutostartEnabled,
  loginCommand,
  setAutostart,
} from './tray-autostart.js';
import { claimFirstCloseNotice } from './tray-notice.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autostart-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Reads an Exec value back as a desktop session does: first the string
 * escapes, then the quoting of arguments, then `%%`.
 */
function parseExec(value: string): string[] {
  const text = value.replace(/\\([\\nrts])/g, (_match, code: string) =>
    code === 'n'
      ? '\n'
      : code === 'r'
        ? '\r'
        : code === 't'
          ? '\t'
          : code === 's'
            ? ' '
            : '\\',
  );
  const args: string[] = [];
  const pattern = /"((?:[^"\\]|\\["`$\\])*)"|([^\s"]+)/g;
  for (const [, quoted, bare] of text.matchAll(pattern)) {
    const arg =
      quoted !== undefined ? quoted.replace(/\\(["`$\\])/g, '$1') : (bare ?? '');
    args.push(arg.replaceAll('%%', '%'));
  }
  return args;
}

describe('the autostart entry', () => {
  it('lives in the XDG autostart folder', () => {
    expect(autostartFilePath({}, '/home/ops')).toBe(
      '/home/ops/.config/autostart/doover-profiles.desktop',
    );
    expect(autostartFilePath({ XDG_CONFIG_HOME: '/cfg' }, '/home/ops')).toBe(
      '/cfg/autostart/doover-profiles.desktop',
    );
  });

  it('starts the packaged executable, quoting a path with spaces', () => {
    const entry = autostartDesktopEntry([
      '/opt/Doover Profiles/doover-profiles',
      hiddenStartFlag,
    ]);

    expect(entry).toContain('\nExec="/opt/Doover Profiles/doover-profiles" --hidden\n');
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\nName=Doover Profiles\n/);
  });

  it('escapes reserved characters as the specification says', () => {
    expect(execValue(['/tmp/a$b"c\\d%e', 'plain'])).toBe(
      '"/tmp/a\\\\$b\\\\"c\\\\\\\\d%%e" plain',
    );
  });

  it('reads back as the same command for any arguments', () => {
    const argument = fc
      .string({ unit: 'binary', minLength: 1 })
      .filter((text) => !text.includes('\0'));
    fc.assert(
      fc.property(fc.array(argument, { minLength: 1, maxLength: 4 }), (command) => {
        const value = execValue(command);
        expect(value).not.toMatch(/[\n\r]/);
        expect(parseExec(value)).toEqual(command);
      }),
    );
  });

  it('starts the AppImage file when running from one, else the executable', () => {
    expect(
      loginCommand({
        execPath: '/tmp/.mount_x/doover-profiles',
        env: { APPIMAGE: '/home/ops/Doover.AppImage' },
      }),
    ).toEqual(['/home/ops/Doover.AppImage', hiddenStartFlag]);
    expect(loginCommand({ execPath: '/opt/app/doover-profiles', env: {} })).toEqual([
      '/opt/app/doover-profiles',
      hiddenStartFlag,
    ]);
    expect(
      loginCommand({ execPath: '/usr/bin/electron', env: {}, appPath: '/src/app' }),
    ).toEqual(['/usr/bin/electron', '/src/app', hiddenStartFlag]);
  });
});

describe('switching start at login', () => {
  it('writes the entry, reads it as on, and removes it again', async () => {
    const path = join(dir, 'config', 'autostart', 'doover-profiles.desktop');
    expect(await isAutostartEnabled(path)).toBe(false);

    await setAutostart(path, ['/opt/app/doover-profiles', hiddenStartFlag]);
    expect(await isAutostartEnabled(path)).toBe(true);
    expect(await readFile(path, 'utf8')).toContain(
      'Exec=/opt/app/doover-profiles --hidden',
    );

    await setAutostart(path, null);
    expect(await isAutostartEnabled(path)).toBe(false);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it('counts an entry the desktop switched off as off', async () => {
    const path = join(dir, 'doover-profiles.desktop');
    for (const switchedOff of ['Hidden=true', 'X-GNOME-Autostart-enabled=false']) {
      await writeFile(
        path,
        `[Desktop Entry]\nType=Application\nExec=x\n${switchedOff}\n`,
      );
      expect(await isAutostartEnabled(path), switchedOff).toBe(false);
    }
  });
});

describe('claimFirstCloseNotice', () => {
  it('answers yes once, also across runs, and no when the marker cannot be written', async () => {
    const marker = join(dir, 'data', 'tray-notice-shown');

    expect(await claimFirstCloseNotice(marker)).toBe(true);
    expect(await claimFirstCloseNotice(marker)).toBe(false);
    await writeFile(join(dir, 'file'), '');
    expect(await claimFirstCloseNotice(join(dir, 'file', 'marker'))).toBe(false);
  });
});
