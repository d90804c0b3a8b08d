import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { acquireRefreshLock, refreshLockPath, withRefreshLock } from './refresh-lock.js';

let lockDir: string;
beforeEach(async () => {
  lockDir = join(await mkdtemp(join(tmpdir(), 'refresh-lock-')), 'locks');
});
afterEach(async () => {
  await rm(join(lockDir, '..'), { recursive: true, force: true });
});

const busy = {
  kind: 'busy',
  message:
    'Another Doover Profiles window or command is renewing this profile. Try again in a moment.',
};

describe('the refresh lock', () => {
  test('a second holder waits until the first releases', async () => {
    const first = await acquireRefreshLock('default', { lockDir });
    if (!first.ok) {
      throw new Error(first.failure.message);
    }
    let secondHeld = false;
    const second = acquireRefreshLock('default', { lockDir, waitMs: 10_000 }).then(
      (result) => {
        secondHeld = result.ok;
        return result;
      },
    );

    const other = await acquireRefreshLock('staging', { lockDir, waitMs: 0 });
    expect(other.ok).toBe(true);
    expect(secondHeld).toBe(false);
    await first.value.release();

    const acquired = await second;
    expect(acquired.ok).toBe(true);
    await (acquired.ok && acquired.value.release());
    await (other.ok && other.value.release());
  });

  test('gives up with a plain message after the wait', async () => {
    await withRefreshLock('default', { lockDir }, async () => {
      expect(await acquireRefreshLock('default', { lockDir, waitMs: 300 })).toEqual({
        ok: false,
        failure: busy,
      });
    });

    // Released after the work, so it can be taken again.
    const again = await acquireRefreshLock('default', { lockDir, waitMs: 0 });
    expect(again.ok).toBe(true);
    await (again.ok && again.value.release());
  });

  test('takes over a lock left behind by a program that died', async () => {
    const lockPath = `${refreshLockPath(lockDir, 'default')}.lock`;
    await mkdir(lockPath, { recursive: true });
    const longAgo = new Date(Date.now() - 5 * 60 * 1000);
    await utimes(lockPath, longAgo, longAgo);

    const result = await acquireRefreshLock('default', { lockDir, waitMs: 0 });

    expect(result.ok).toBe(true);
    await (result.ok && result.value.release());
  });

  test('releases the lock when the work throws', async () => {
    await expect(
      withRefreshLock('default', { lockDir }, async () => {
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');

    const again = await acquireRefreshLock('default', { lockDir, waitMs: 0 });
    expect(again.ok).toBe(true);
    await (again.ok && again.value.release());
  });

  test('names lock files by a hash, whatever the profile name holds', () => {
    const path = refreshLockPath(lockDir, '../../etc/passwd [x]');

    expect(path.startsWith(lockDir)).toBe(true);
    expect(path.slice(lockDir.length)).toMatch(/^[/\\]refresh-[0-9a-f]{32}$/);
  });

  test('excludes another process that holds the same lock', async () => {
    const lockPath = refreshLockPath(lockDir, 'default');
    await mkdir(lockDir, { recursive: true });
    // A separate Node process takes the lock as the command line would, and
    // holds it until its standard input closes.
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { lock } from 'proper-lockfile';
         const release = await lock(process.argv[1], { realpath: false, stale: 30000 });
         process.stdout.write('locked\\n');
         process.stdin.resume();
         process.stdin.on('end', async () => { await release(); process.exit(0); });`,
        lockPath,
      ],
      { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('locked')) {
          resolve();
        }
      });
    });

    expect(await acquireRefreshLock('default', { lockDir, waitMs: 300 })).toEqual({
      ok: false,
      failure: busy,
    });
    child.stdin.end();
    await exited;

    const after = await acquireRefreshLock('default', { lockDir, waitMs: 0 });
    expect(after.ok).toBe(true);
    await (after.ok && after.value.release());
  });
});
