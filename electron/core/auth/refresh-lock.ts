import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { systemClock, type Clock } from '../app-services.js';
import type { Logger } from '../logger.js';
import { authFailure, failed, type AuthResult } from './auth-failure.js';
import { realSleep, type Sleep } from './timing.js';

/** A lock not kept fresh for this long belongs to a program that died; it is taken over. */
export const REFRESH_LOCK_STALE_MS = 30_000;

/** How long to wait for another program to finish its refresh. */
export const REFRESH_LOCK_WAIT_MS = 30_000;

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 250;

export interface RefreshLockOptions {
  /** The folder the lock files live in, shared by every process of the app. */
  lockDir: string;
  waitMs?: number;
  staleMs?: number;
  clock?: Clock;
  sleep?: Sleep;
  log?: Logger;
}

/** A held refresh lock. */
export interface RefreshLock {
  /** Lets the next waiter in; safe to call more than once. */
  release(): Promise<void>;
  /** True when the lock was lost while held (its file vanished or could not be kept fresh). */
  readonly compromised: boolean;
}

/**
 * Where the lock of `profile` lives (proper-lockfile adds `.lock`). The name
 * is a hash: profile names may hold any character.
 */
export function refreshLockPath(lockDir: string, profile: string): string {
  const hash = createHash('sha256').update(profile).digest('hex').slice(0, 32);

  return join(lockDir, `refresh-${hash}`);
}

/**
 * Takes the cross-process lock that guards "read the profile, refresh, write
 * the profile" for one profile: two windows, the app and its command line
 * never refresh one sign-in at the same time. Waits up to `waitMs` for
 * another holder; a holder that died is taken over once its lock is stale.
 */
export async function acquireRefreshLock(
  profile: string,
  options: RefreshLockOptions,
): Promise<AuthResult<RefreshLock>> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + (options.waitMs ?? REFRESH_LOCK_WAIT_MS);
  const path = refreshLockPath(options.lockDir, profile);

  for (;;) {
    const attempt = await tryLockInFolder(path, options);
    if (attempt !== 'held-elsewhere') {
      return attempt;
    }
    if (clock.now() >= deadline) {
      return failed(
        authFailure(
          'busy',
          'Another Doover Profiles window or command is renewing this profile. Try again in a moment.',
        ),
      );
    }
    const pause = RETRY_MIN_MS + Math.random() * (RETRY_MAX_MS - RETRY_MIN_MS);
    await (options.sleep ?? realSleep)(pause);
  }
}

/** Tries the lock, making the lock folder only when it is missing rather than on every renewal. */
async function tryLockInFolder(
  path: string,
  options: RefreshLockOptions,
): Promise<AuthResult<RefreshLock> | 'held-elsewhere'> {
  const attempt = await tryLock(path, options);
  if (attempt !== 'no-folder') {
    return attempt;
  }
  try {
    await mkdir(options.lockDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    return failed(lockProblem(error));
  }
  const again = await tryLock(path, options);

  return again === 'no-folder' ? failed(lockProblem({ code: 'ENOENT' })) : again;
}

async function tryLock(
  path: string,
  options: RefreshLockOptions,
): Promise<AuthResult<RefreshLock> | 'held-elsewhere' | 'no-folder'> {
  let compromised = false;
  try {
    const release = await lock(path, {
      realpath: false,
      stale: options.staleMs ?? REFRESH_LOCK_STALE_MS,
      retries: 0,
      // The default throws from a timer and would end the process.
      onCompromised: () => {
        compromised = true;
        options.log?.warn('the refresh lock was lost while held');
      },
    });

    return { ok: true, value: heldLock(release, () => compromised) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ELOCKED') {
      return 'held-elsewhere';
    }
    return code === 'ENOENT' ? 'no-folder' : failed(lockProblem(error));
  }
}

function heldLock(
  release: () => Promise<void>,
  isCompromised: () => boolean,
): RefreshLock {
  let released = false;

  return {
    async release() {
      if (released) {
        return;
      }
      released = true;
      // A compromised lock is no longer ours to remove.
      await release().catch(() => undefined);
    },
    get compromised() {
      return isCompromised();
    },
  };
}

function lockProblem(error: unknown): ReturnType<typeof authFailure> {
  const code = (error as { code?: unknown }).code;
  const detail = typeof code === 'string' ? ` (${code})` : '';

  return authFailure('busy', `The profile could not be locked for renewing${detail}.`);
}

/** Runs `work` while holding the refresh lock of `profile`, and releases it after. */
export async function withRefreshLock<T>(
  profile: string,
  options: RefreshLockOptions,
  work: (lock: RefreshLock) => Promise<T>,
): Promise<AuthResult<T>> {
  const acquired = await acquireRefreshLock(profile, options);
  if (!acquired.ok) {
    return acquired;
  }

  try {
    return { ok: true, value: await work(acquired.value) };
  } finally {
    await acquired.value.release();
  }
}
