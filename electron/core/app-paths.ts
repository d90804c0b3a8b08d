import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const productName = 'Doover Profiles';

/** `~/.doover/config`, exactly where pydoover and the CLI look (no override exists). */
export function profilesFilePath(homeDir: string = homedir()): string {
  return join(homeDir, '.doover', 'config');
}

/**
 * Whether `path` is the app's own profiles file (through any links), whose
 * history, settings and keychain entries the app keeps. The command line can
 * edit other files too, and must not mix theirs in.
 */
export function isAppProfilesFile(path: string, homeDir: string = homedir()): boolean {
  return realPathOf(path) === realPathOf(profilesFilePath(homeDir));
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * The app's own data folder, the one Electron calls userData. Browser mode
 * computes the same folder so both shells share settings, history and logs.
 * `DOOVER_PROFILES_DATA_DIR` overrides it (tests give each run its own).
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  homeDir: string = homedir(),
): string {
  const override = env.DOOVER_PROFILES_DATA_DIR;
  if (override !== undefined && override !== '') {
    return override;
  }
  return join(appDataDir(env, platform, homeDir), productName);
}

function appDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, homeDir: string) {
  if (platform === 'win32') {
    return env.APPDATA ?? join(homeDir, 'AppData', 'Roaming');
  }
  if (platform === 'darwin') {
    return join(homeDir, 'Library', 'Application Support');
  }
  return env.XDG_CONFIG_HOME || join(homeDir, '.config');
}
