import lockfile from 'proper-lockfile';
import type { Logger } from '../logger.js';

/** How long to wait for another writer of this app, and when its lock counts as abandoned. */
export interface LockSettings {
  /** A lock not refreshed for this long was left by a process that died (at least 5 s). */
  staleMs?: number;
  /** How many times to try again while another writer holds the lock. */
  retries?: number;
}

const defaults = { staleMs: 10_000, retries: 60 };

// Writers inside one process queue here first, so they do not spin on the lock
// folder against each other.
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` while holding the cross-process lock for `path`: a `<path>.lock`
 * folder beside it (proper-lockfile), which works whether or not the file
 * exists yet and is taken over when its owner died without removing it.
 */
export async function withFileLock<T>(
  path: string,
  settings: LockSettings,
  log: Logger,
  work: () => Promise<T>,
): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(() => lockAndRun(path, settings, log, work));
  const tail = run.catch(() => undefined);
  queues.set(path, tail);
  void tail.then(() => {
    if (queues.get(path) === tail) {
      queues.delete(path);
    }
  });
  return run;
}

async function lockAndRun<T>(
  path: string,
  settings: LockSettings,
  log: Logger,
  work: () => Promise<T>,
): Promise<T> {
  const staleMs = Math.max(settings.staleMs ?? defaults.staleMs, 5000);
  const release = await lockfile.lock(path, {
    realpath: false,
    stale: staleMs,
    retries: {
      retries: settings.retries ?? defaults.retries,
      factor: 1.3,
      minTimeout: 5,
      maxTimeout: 250,
      randomize: true,
    },
    onCompromised: (error) =>
      log.warn({ err: error }, 'the lock on the profiles file was taken over while held'),
  });
  try {
    return await work();
  } finally {
    await release().catch((error: unknown) =>
      log.warn({ err: error }, 'could not remove the lock on the profiles file'),
    );
  }
}
