import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  browserOpenCommand,
  hasGraphicalSession,
  openInBrowser,
} from './open-browser.js';

const url = 'http://127.0.0.1:4000/#secret=abc123';

describe('browserOpenCommand', () => {
  it('uses the platform opener', () => {
    expect(browserOpenCommand(url, 'linux')).toMatchObject({
      command: 'xdg-open',
      args: [url],
    });
    expect(browserOpenCommand(url, 'darwin')).toMatchObject({
      command: 'open',
      args: [url],
    });
    expect(browserOpenCommand(url, 'win32')).toEqual({
      command: 'cmd.exe',
      args: ['/d', '/s', '/c', `start "" "${url}"`],
      verbatim: true,
    });
  });
});

describe('hasGraphicalSession', () => {
  it('needs a display on Linux only', () => {
    expect(hasGraphicalSession('linux', {})).toBe(false);
    expect(hasGraphicalSession('linux', { DISPLAY: ':0' })).toBe(true);
    expect(hasGraphicalSession('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasGraphicalSession('darwin', {})).toBe(true);
    expect(hasGraphicalSession('win32', {})).toBe(true);
  });
});

describe('openInBrowser', () => {
  let binDir: string;
  let savedPath: string | undefined;

  beforeEach(async () => {
    binDir = await mkdtemp(join(tmpdir(), 'opener-'));
    savedPath = process.env.PATH;
    process.env.PATH = binDir;
  });

  afterEach(async () => {
    process.env.PATH = savedPath;
    await rm(binDir, { recursive: true, force: true });
  });

  async function installOpener(script: string): Promise<void> {
    const opener = join(binDir, 'xdg-open');
    await writeFile(opener, `#!/bin/sh\n${script}\n`);
    await chmod(opener, 0o755);
  }

  it('hands the URL to the system opener', async () => {
    await installOpener(`printf '%s' "$1" > "${binDir}/opened"`);

    await expect(openInBrowser(url, 'linux')).resolves.toBe(true);
    expect(await readFile(join(binDir, 'opened'), 'utf8')).toBe(url);
  });

  it('reports an opener that fails', async () => {
    await installOpener('exit 3');

    await expect(openInBrowser(url, 'linux')).resolves.toBe(false);
  });

  it('reports a missing opener', async () => {
    await expect(openInBrowser(url, 'linux')).resolves.toBe(false);
  });
});
