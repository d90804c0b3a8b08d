import { constants } from 'node:fs';
import { access, readFile, rename, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname } from 'node:path';
import { fail, ok, type Result } from '../../../shared/result.js';
import type { Clock } from '../app-services.js';
import type { Logger } from '../logger.js';
import {
  ensurePrivateFolder,
  ownershipOf,
  removeLeftoverTempFiles,
  resolveLinkTarget,
  syncFolder,
  writeTempFile,
} from './atomic-replace.js';
import { parseProfilesFile, profileNamesOf, type ProfilesDocument } from './codec.js';
import { withFileLock, type LockSettings } from './file-lock.js';
import { applyPatch, type ProfilePatch, type RemovedBlock } from './patch.js';
import { readProfilesFile } from './read-profiles-file.js';
import type { RevertGuard } from './revert-guard.js';
import { decodeUtf8AsPython } from './python-text.js';

/** The file as it is on disk when an edit is applied. */
export interface CurrentFile {
  /** Null when the file does not exist. */
  bytes: Buffer | null;
  /** Null when the file does not exist or is not UTF-8 text. */
  text: string | null;
  document: ProfilesDocument | null;
}

/** What an edit wants written, and what it did in words. */
export interface FileEdit<Detail> {
  text: string;
  description: string;
  detail: Detail;
}

/** A version of the file that the app replaced. */
export interface ReplacedVersion {
  bytes: Buffer;
  replacedAt: number;
  replacedBy: string;
  /** The profiles it held, in file order (already known to the writer, so not parsed again). */
  profileNames: string[];
}

/**
 * Keeps versions of the file that the app replaces. A save is reported as
 * soon as the file itself is on disk; the spare copy is written after it, so
 * a recorder that is read must first finish the records it was handed.
 */
export interface VersionRecorder {
  record(version: ReplacedVersion): Promise<void>;
}

export interface WriteOptions {
  clock: Clock;
  log: Logger;
  lock?: LockSettings;
  history?: VersionRecorder;
  /** Follows each save and applies it again if a program that takes no lock overwrites it. */
  guard?: RevertGuard;
  /** Told the text about to replace the file, just before it does, so it is known as the app's own. */
  onWillWrite?: (text: string) => void;
  /** Runs after the new content is on disk and before the last check of the file (for tests). */
  beforeRename?: (attempt: number) => Promise<void> | void;
  /** How many times an edit is applied again after another program changed the file. */
  maxAttempts?: number;
}

export interface WriteOutcome<Detail> {
  /** The file's text now. */
  text: string;
  description: string;
  detail: Detail;
  /** False when the edit left the file as it was, so nothing was written. */
  changed: boolean;
  /** How many times the edit was applied (more than one when another program wrote meanwhile). */
  attempts: number;
}

/**
 * Applies a patch to the profiles file as it is on disk at the moment of
 * writing, under the app's lock, atomically, and again on the new content if
 * a program that takes no lock (pydoover) changed the file in the meantime.
 */
export function applyPatchToFile(
  path: string,
  patch: ProfilePatch,
  options: WriteOptions,
): Promise<Result<WriteOutcome<RemovedBlock[]>>> {
  return editProfilesFile(path, options, (current) => patchCurrentFile(current, patch));
}

/** The edit a patch makes to the file as it is now, or why it cannot be made. */
export function patchCurrentFile(
  current: CurrentFile,
  patch: ProfilePatch,
): Result<FileEdit<RemovedBlock[]>> {
  if (current.bytes !== null && current.text === null) {
    return fail(
      'file-unreadable',
      'The profiles file contains bytes that are not UTF-8 text, so it cannot be edited. ' +
        'Restore an earlier version, or fix it in a text editor.',
    );
  }
  const outcome = applyPatch(current.document, patch);

  return outcome.ok
    ? ok({
        text: outcome.value.text,
        description: outcome.value.description,
        detail: outcome.value.removed,
      })
    : outcome;
}

/** Replaces the whole file (restoring a version), through the same lock and checks. */
export function replaceProfilesFile(
  path: string,
  text: string,
  description: string,
  options: WriteOptions,
): Promise<Result<WriteOutcome<null>>> {
  return editProfilesFile(path, options, () => ok({ text, description, detail: null }));
}

/** The one way the app writes the profiles file. */
export async function editProfilesFile<Detail>(
  path: string,
  options: WriteOptions,
  edit: (current: CurrentFile) => Result<FileEdit<Detail>>,
): Promise<Result<WriteOutcome<Detail>>> {
  try {
    const target = await resolveLinkTarget(path);
    await ensurePrivateFolder(dirname(target));
    return await withFileLock(target, options.lock ?? {}, options.log, () =>
      editUnderLock(target, options, edit),
    );
  } catch (error) {
    options.log.warn({ err: error }, 'could not save the profiles file');
    return fail('file-write-failed', writeFailureMessage(error));
  }
}

async function editUnderLock<Detail>(
  target: string,
  options: WriteOptions,
  edit: (current: CurrentFile) => Result<FileEdit<Detail>>,
): Promise<Result<WriteOutcome<Detail>>> {
  await removeLeftoverTempFiles(target, 60_000, options.clock.now());
  if (await isReadOnly(target)) {
    return fail(
      'file-write-failed',
      'The profiles file was not changed: it is read-only. Make it writable to change it.',
    );
  }
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    await waitWhileEmpty(target);
    const current = await readCurrentFile(target);
    if (!current.ok) {
      return current;
    }
    const wanted = edit(current.value);
    if (!wanted.ok) {
      return wanted;
    }

    const { text, description, detail } = wanted.value;
    if (text === current.value.text) {
      return ok({ text, description, detail, changed: false, attempts: attempt });
    }
    if (await replaceIfUnchanged(target, current.value.bytes, text, attempt, options)) {
      void recordReplaced(current.value, description, options);
      options.guard?.watch(
        current.value.document,
        text,
        edit,
        () => editProfilesFile(target, withoutHistory(options), edit),
        description,
      );
      options.log.info({ attempt }, 'saved the profiles file');
      return ok({ text, description, detail, changed: true, attempts: attempt });
    }
    options.log.info(
      { attempt },
      'another program changed the profiles file; applying again',
    );
    await waitUntilSettled(target);
  }

  return fail(
    'file-write-failed',
    'Another program kept changing the profiles file, so the change was not saved. Try again.',
  );
}

/**
 * Writes the new content beside the file, then renames it over the file only
 * if the file is still exactly what the edit was applied to.
 */
async function replaceIfUnchanged(
  target: string,
  base: Buffer | null,
  text: string,
  attempt: number,
  options: WriteOptions,
): Promise<boolean> {
  const tempPath = await writeTempFile(
    target,
    Buffer.from(text, 'utf8'),
    await ownershipOf(target),
  );
  try {
    await options.beforeRename?.(attempt);
    if (!sameBytes(await readBytes(target), base)) {
      return false;
    }
    // LIMITATION: a program that takes no lock can still write between this
    // check and the rename (a few microseconds); its write is then lost, as
    // it would be to any other writer. (The opposite case, such a program
    // writing back an old copy after the rename, is what the guard handles.)
    options.onWillWrite?.(text);
    await rename(tempPath, target);
  } finally {
    await rm(tempPath, { force: true });
  }
  await syncFolder(dirname(target));
  return true;
}

/**
 * A file the user may not write was made so on purpose, and Doover's tools,
 * which write it in place, could not save it. The app replaces the file by
 * renaming, which the folder's permissions allow even then, so it has to look
 * itself. An administrator may write anything, so for one the file counts as
 * read-only when it allows no one to write.
 */
async function isReadOnly(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  if (info === null) return false;
  if (process.getuid?.() === 0) return (info.mode & 0o222) === 0;

  return access(path, constants.W_OK).then(
    () => false,
    () => true,
  );
}

async function readCurrentFile(path: string): Promise<Result<CurrentFile>> {
  let bytes: Buffer | null;
  try {
    bytes = await readBytes(path);
  } catch {
    const reading = await readProfilesFile(path);
    const why =
      reading.state.status === 'unreadable'
        ? `${reading.state.cause} ${reading.state.remedy}`
        : 'Try again in a moment.';
    return fail('file-unreadable', `The profiles file could not be read. ${why}`);
  }
  const text = bytes === null ? null : decodeUtf8AsPython(bytes);
  return ok({ bytes, text, document: text === null ? null : parseProfilesFile(text) });
}

async function readBytes(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

/**
 * pydoover empties the file when it opens it for writing and fills it with
 * one write after: an empty file may be caught in between. A patch applied to
 * it (and found unchanged just before the rename, the writer still not done)
 * would replace every profile with the one patched, so an empty file is given
 * a moment to fill. A file that stays empty is taken as empty.
 */
async function waitWhileEmpty(path: string): Promise<void> {
  for (let check = 0; check < 10; check += 1) {
    const info = await stat(path).catch(() => null);
    if (info === null || info.size > 0) {
      if (check > 0) await waitUntilSettled(path);
      return;
    }
    await sleep(10);
  }
}

/**
 * pydoover truncates the file and then writes it, so a file that just changed
 * may be half written: wait until two reads a moment apart agree.
 */
async function waitUntilSettled(path: string): Promise<void> {
  let previous = await readBytes(path).catch(() => null);
  for (let check = 0; check < 20; check += 1) {
    await sleep(15);
    const now = await readBytes(path).catch(() => null);
    if (sameBytes(now, previous)) {
      return;
    }
    previous = now;
  }
}

async function recordReplaced(
  replaced: CurrentFile,
  replacedBy: string,
  options: WriteOptions,
): Promise<void> {
  const { bytes, document } = replaced;
  if (bytes === null || options.history === undefined) {
    return;
  }
  try {
    await options.history.record({
      bytes,
      replacedAt: options.clock.now(),
      replacedBy,
      profileNames: document === null ? [] : profileNamesOf(document),
    });
  } catch (error) {
    // The change itself is saved; only the copy of the old version is missing.
    options.log.warn({ err: error }, 'could not keep the replaced version in history');
  }
}

/**
 * A save applied again replaces another program's stale copy, not a version
 * the user made; keeping those would crowd the user's own out of history.
 */
function withoutHistory(options: WriteOptions): WriteOptions {
  const rest = { ...options };
  delete rest.history;
  return rest;
}

/** Plain words for why the file could not be saved. */
export function writeFailureMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const notSaved = 'The profiles file was not changed: ';
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `${notSaved}you do not have permission to change it or the folder it is in.`;
    case 'ENOSPC':
      return `${notSaved}the disk is full. Free some space and try again.`;
    case 'EDQUOT':
      return `${notSaved}your disk quota is used up. Free some space and try again.`;
    case 'EROFS':
      return `${notSaved}the disk it is on is read-only.`;
    case 'ENOTDIR':
      return `${notSaved}the .doover in your home folder is a file, not a folder.`;
    case 'EISDIR':
      return `${notSaved}its path is a folder, not a file.`;
    case 'ELOCKED':
      return `${notSaved}another Doover Profiles window or command kept it locked. Try again in a moment.`;
    default:
      return `${notSaved}the system refused to write it (${code ?? 'unknown error'}).`;
  }
}
