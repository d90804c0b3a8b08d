import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  afterPack,
  fuseSettings,
  fuseSettingsByName,
  type PackContext,
} from '../../electron/build/electron-fuses.mjs';

/** The marker before Electron's fuse wire, as @electron/fuses looks for it. */
const sentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const on = 0x31;
const off = 0x30;

const hardened = {
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableCookieEncryption: true,
  OnlyLoadAppFromAsar: true,
};

let appOutDir: string;

beforeEach(async () => {
  appOutDir = await mkdtemp(join(tmpdir(), 'fuses-'));
});

afterEach(async () => {
  await rm(appOutDir, { recursive: true, force: true });
});

function linuxContext(): PackContext {
  return {
    appOutDir,
    electronPlatformName: 'linux',
    arch: 1,
    packager: {
      appInfo: { productFilename: 'Doover Profiles' },
      executableName: 'doover-profiles',
    },
  };
}

/**
 * A binary laid out like Electron's around its fuse wire: bytes, the sentinel,
 * wire version 1, the wire length, then one state byte per fuse, all on as in
 * a freshly downloaded Electron.
 */
function fakeElectronBinary(fuseCount = 8): Buffer {
  return Buffer.concat([
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]),
    Buffer.from(sentinel, 'latin1'),
    Buffer.from([1, fuseCount, ...Array<number>(fuseCount).fill(on)]),
    Buffer.from('rest of the binary'),
  ]);
}

describe('the fuses the packaged app is built with', () => {
  it('turns off Node modes and turns on cookie encryption and asar-only loading', () => {
    expect(fuseSettingsByName(fuseSettings('linux'))).toEqual(hardened);
  });

  it('also checks the asar hash where Electron supports it', () => {
    for (const platform of ['darwin', 'mas', 'win32']) {
      expect(fuseSettingsByName(fuseSettings(platform)), platform).toEqual({
        ...hardened,
        EnableEmbeddedAsarIntegrityValidation: true,
      });
    }
  });
});

describe('the afterPack hook', () => {
  it('flips exactly those fuses in the packed executable and leaves the rest', async () => {
    const executable = join(appOutDir, 'doover-profiles');
    await writeFile(executable, fakeElectronBinary());

    expect(await afterPack(linuxContext())).toBe('flipped');

    const wire = (await getCurrentFuseWire(executable)) as unknown as Record<
      string,
      number
    >;
    expect(wire[FuseV1Options.RunAsNode]).toBe(off);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(on);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on);
    for (const untouched of [
      FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
      FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
      FuseV1Options.GrantFileProtocolExtraPrivileges,
    ]) {
      expect(wire[untouched], FuseV1Options[untouched]).toBe(on);
    }
  });

  it('says a stand-in script has no fuses instead of failing, and leaves it alone', async () => {
    const executable = join(appOutDir, 'doover-profiles');
    const script = '#!/bin/sh\necho stand-in\n';
    await writeFile(executable, script);
    await chmod(executable, 0o755);

    expect(await afterPack(linuxContext())).toBe('stand-in');
    expect(await readFile(executable, 'utf8')).toBe(script);
  });

  it('fails the build for a binary without a fuse wire', async () => {
    await writeFile(
      join(appOutDir, 'doover-profiles'),
      Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
    );

    await expect(afterPack(linuxContext())).rejects.toThrow(/sentinel/);
  });

  it('fails the build when the wire is too short to hold a fuse it sets', async () => {
    await writeFile(join(appOutDir, 'doover-profiles'), fakeElectronBinary(3));

    await expect(afterPack(linuxContext())).rejects.toThrow(/not long enough/);
  });
});
