// @ts-check
// electron-builder's afterPack hook: flips Electron's fuses in the packed
// executable, after packing and before signing (a signature covers the fuses).
// Types for TypeScript callers: electron-fuses.d.mts.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FuseV1Options,
  FuseVersion,
  flipFuses,
  getCurrentFuseWire,
} from '@electron/fuses';
import { Arch } from 'electron-builder';

/** The byte Electron stores for a fuse that is on (`1`) or off (`0`). */
const fuseOn = 0x31;
const fuseOff = 0x30;

/**
 * Electron checks the asar's embedded hash only on these platforms; on
 * Linux the fuse has no effect, so it is left as Electron ships it.
 */
const asarIntegrityPlatforms = new Set(['darwin', 'mas', 'win32']);

/** Apple Silicon refuses to run a binary whose ad-hoc signature no longer matches. */
const adHocSignedArchs = new Set([Arch.arm64, Arch.universal]);

/**
 * The fuses the packaged app is built with, by fuse index. The executable can
 * never act as plain Node (`ELECTRON_RUN_AS_NODE`), ignores `NODE_OPTIONS`
 * and `--inspect` flags, encrypts its cookies at rest and loads only the app
 * from its own asar, whose hash it checks where Electron supports that.
 * @param {string} electronPlatformName
 * @returns {import('./electron-fuses.d.mts').FuseSettings}
 */
export function fuseSettings(electronPlatformName) {
  /** @type {import('./electron-fuses.d.mts').FuseSettings} */
  const settings = {
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
  };
  if (asarIntegrityPlatforms.has(electronPlatformName)) {
    settings[FuseV1Options.EnableEmbeddedAsarIntegrityValidation] = true;
  }

  return settings;
}

/**
 * The fuse settings by name, e.g. `{ RunAsNode: false }`, for reading and logging.
 * @param {import('./electron-fuses.d.mts').FuseSettings} settings
 * @returns {Record<string, boolean>}
 */
export function fuseSettingsByName(settings) {
  return Object.fromEntries(
    Object.entries(settings).map(([index, value]) => [
      FuseV1Options[/** @type {FuseV1Options} */ (Number(index))],
      value,
    ]),
  );
}

/**
 * Where the packed Electron executable is: the `.app` bundle on macOS (the
 * fuses library finds the framework inside), the `.exe` on Windows, the
 * renamed `electron` binary on Linux.
 * @param {import('./electron-fuses.d.mts').PackContext} context
 * @returns {string}
 */
export function electronExecutablePath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return join(appOutDir, `${name}.app`);
  }
  if (electronPlatformName === 'win32') {
    return join(appOutDir, `${name}.exe`);
  }

  return join(appOutDir, packager.executableName ?? name);
}

/**
 * Whether the "executable" is a shell script standing in for Electron, as in
 * packaging checks on machines that cannot download Electron. Real Electron
 * executables are binaries (ELF, PE, Mach-O) and never start with `#!`.
 * @param {string} path
 * @returns {Promise<boolean>}
 */
export async function isStandInScript(path) {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const start = Buffer.alloc(2);
    await file.read(start, 0, 2, 0);
    return start.toString('latin1') === '#!';
  } finally {
    await file.close();
  }
}

/**
 * The afterPack hook. Returns what it did. With a stand-in script there is no
 * fuse wire to flip, which it says instead of failing; any other executable
 * without a fuse wire fails the build, so a real package never ships unfused.
 * @param {import('./electron-fuses.d.mts').PackContext} context
 * @returns {Promise<'flipped' | 'stand-in'>}
 */
export async function afterPack(context) {
  const executable = electronExecutablePath(context);
  const settings = fuseSettings(context.electronPlatformName);
  if (await isStandInScript(executable)) {
    console.log(`  • Electron fuses not flipped: ${executable} is a stand-in script`);
    return 'stand-in';
  }

  await flipFuses(executable, {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature:
      context.electronPlatformName === 'darwin' && adHocSignedArchs.has(context.arch),
    ...settings,
  });
  await expectFuses(executable, settings);
  console.log(`  • Electron fuses set: ${JSON.stringify(fuseSettingsByName(settings))}`);
  return 'flipped';
}

/**
 * Reads the fuse wire back, so a build fails if a fuse did not take.
 * @param {string} executable
 * @param {import('./electron-fuses.d.mts').FuseSettings} settings
 */
async function expectFuses(executable, settings) {
  const wire = /** @type {Record<string, number>} */ (
    /** @type {unknown} */ (await getCurrentFuseWire(executable))
  );
  for (const [index, wanted] of Object.entries(settings)) {
    if (wire[index] !== (wanted ? fuseOn : fuseOff)) {
      const name = FuseV1Options[/** @type {FuseV1Options} */ (Number(index))];
      throw new Error(
        `Electron fuse ${name} is not ${wanted ? 'on' : 'off'} after flipping`,
      );
    }
  }
}

export default afterPack;
