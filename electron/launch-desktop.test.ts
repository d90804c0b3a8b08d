import { spawnSync } from 'node:child_process';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The launcher runs from a copy placed in a throw-away app folder, so each test
 * decides whether an Electron runtime is "installed" there.
 */
let appDir: string;
let electronDir: string;

beforeEach(async () => {
  appDir = await mkdtemp(join(tmpdir(), 'launch-desktop-'));
  electronDir = join(appDir, 'node_modules', 'electron');
  await mkdir(join(appDir, 'electron'));
  await copyFile(
    join(import.meta.dirname, 'launch-desktop.mjs'),
    join(appDir, 'electron', 'launch-desktop.mjs'),
  );
});

afterEach(() => rm(appDir, { recursive: true, force: true }));

function launch(env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(appDir, 'electron', 'launch-desktop.mjs')], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

/** A stand-in runtime that records how it was started and exits with code 7. */
async function installRuntime(pathTxt: string): Promise<void> {
  await mkdir(join(electronDir, 'dist'), { recursive: true });
  await writeFile(join(electronDir, 'path.txt'), pathTxt);
  const binary = join(electronDir, 'dist', 'electron');
  await writeFile(
    binary,
    `#!/bin/sh\nprintf '%s|%s' "$1" "$ELECTRON_RUN_AS_NODE" > "${appDir}/started"\nexit 7\n`,
  );
  await chmod(binary, 0o755);
}

describe('launch-desktop', () => {
  it('explains the missing runtime and points to browser mode', () => {
    const run = launch();

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('could not be downloaded on this machine');
    expect(run.stderr).toContain('npm run start:browser');
  });

  it('treats a path.txt naming a binary that is not there as missing', async () => {
    await installRuntime('electron-that-was-never-downloaded');

    const run = launch();

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm run start:browser');
  });

  it('starts the runtime on the app folder and exits with its code', async () => {
    await installRuntime('electron\n');

    const run = launch({ ELECTRON_RUN_AS_NODE: '1' });

    expect(run.status).toBe(7);
    expect(await readFile(join(appDir, 'started'), 'utf8')).toBe(`${appDir}|`);
  });
});
