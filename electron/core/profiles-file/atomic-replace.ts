import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readlink, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The steps of replacing a file atomically, kept apart so a caller can look at
 * the file once more between flushing the new content and the rename: a temp
 * file in the same folder, written and flushed to disk, then renamed over the
 * old one. write-file-atomic does the same in one call, which leaves no moment
 * for that last look.
 */

const tempSuffix = '.doover-profiles.tmp';

/** The file a path ends up at after following symbolic links, even a link to a missing file. */
export async function resolveLinkTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops += 1) {
    const info = await lstat(current).catch(ignoreMissing);
    if (info === null || !info.isSymbolicLink()) {
      return current;
    }
    current = resolve(dirname(current), await readlink(current));
  }
  // Too many links: let the write fail with the system's own error (ELOOP).
  return resolve(path);
}

function ignoreMissing(error: unknown): null {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    return null;
  }
  throw error;
}

/** Creates the file's folder private to the user (0700) when it does not exist yet. */
export async function ensurePrivateFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
}

export interface FileOwnership {
  mode: number;
  uid: number | null;
  gid: number | null;
}

/** The permissions to give the new content: the file's own, or 0600 for a new file. */
export async function ownershipOf(path: string): Promise<FileOwnership> {
  const info = await stat(path).catch(ignoreMissing);
  if (info === null) {
    return { mode: 0o600, uid: null, gid: null };
  }
  return { mode: info.mode & 0o7777, uid: info.uid, gid: info.gid };
}

/** Writes and flushes the new content to a temp file beside `path`; returns its path. */
export async function writeTempFile(
  path: string,
  bytes: Uint8Array,
  ownership: FileOwnership,
): Promise<string> {
  const tempPath = join(
    dirname(path),
    `.${basename(path)}.${randomBytes(6).toString('hex')}${tempSuffix}`,
  );
  const handle = await open(tempPath, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    // The umask may have narrowed the mode given to open.
    await handle.chmod(ownership.mode);
    await keepOwner(handle, ownership);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tempPath, { force: true });
    throw error;
  }
  await handle.close();
  return tempPath;
}

async function keepOwner(
  handle: Awaited<ReturnType<typeof open>>,
  ownership: FileOwnership,
): Promise<void> {
  // Only an administrator can give a file to someone else; a user's own files
  // already have the right owner.
  if (ownership.uid === null || ownership.gid === null || process.getuid?.() !== 0) {
    return;
  }
  await handle.chown(ownership.uid, ownership.gid);
}

/** Flushes a folder's entries, so a rename in it survives a power cut. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => null);
  if (handle === null) {
    return;
  }
  // Some systems cannot flush a folder; the rename is then as durable as they allow.
  await handle.sync().catch(() => undefined);
  await handle.close();
}

/** Removes temp files that a writer killed mid-write left beside `path`. */
export async function removeLeftoverTempFiles(
  path: string,
  olderThanMs: number,
  nowMs: number,
): Promise<void> {
  const folder = dirname(path);
  const prefix = `.${basename(path)}.`;
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(tempSuffix)) {
      continue;
    }
    const info = await stat(join(folder, name)).catch(() => null);
    if (info !== null && nowMs - info.mtimeMs > olderThanMs) {
      await rm(join(folder, name), { force: true });
    }
  }
}
