import { dirname } from 'node:path';
import { watch } from 'chokidar';

export interface FileWatch {
  close(): Promise<void>;
}

/**
 * Calls `onChange` when the profiles file is created, changed, replaced or
 * removed by any program. Watching starts at the folder above `.doover`, so
 * a file (or folder) that does not exist yet is noticed when it appears.
 * Bursts of events (a truncate then a write) are merged into one call.
 */
export async function watchProfilesFile(
  path: string,
  onChange: (change: { settled: boolean }) => void,
  onError: (error: unknown) => void,
  quietMs = 40,
  settleMs = 250,
): Promise<FileWatch> {
  const folder = dirname(path);
  const watched = new Set([dirname(folder), folder, path]);
  const watcher = watch(dirname(folder), {
    ignoreInitial: true,
    depth: 1,
    ignored: (candidate: string) => !watched.has(candidate),
  });

  // chokidar drops a change that follows another within 50 ms, so a second
  // quick write (a truncate-and-rewrite, or a refresh right after a save) could
  // go unseen; one more read after the burst has settled catches it.
  let quick: NodeJS.Timeout | undefined;
  let settled: NodeJS.Timeout | undefined;
  watcher.on('all', () => {
    clearTimeout(quick);
    clearTimeout(settled);
    quick = setTimeout(() => onChange({ settled: false }), quietMs);
    settled = setTimeout(() => onChange({ settled: true }), settleMs);
  });
  // A path it cannot follow (a link that leads back to itself) is an error
  // event; unheard, it would end the process. Reading the file says why.
  watcher.on('error', onError);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    close: async () => {
      clearTimeout(quick);
      clearTimeout(settled);
      await watcher.close();
    },
  };
}
