import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import type { HistoryEntry } from '../../../shared/profile-types.js';
import type { Logger } from '../logger.js';
import type {
  ReplacedVersion,
  VersionRecorder,
} from '../profiles-file/write-profiles-file.js';

export interface HistoryStoreOptions {
  /** The app's data folder; versions go in its `history` folder. */
  dataDir: string;
  log: Logger;
  /** How many versions to keep. */
  keep?: number;
  /**
   * The path of a profiles file other than the app's own (edited from the
   * command line with --config): its versions are kept apart, so they are
   * never offered for restoring over ~/.doover/config.
   */
  otherFile?: string;
}

const entrySchema = z.object({
  id: z.string(),
  replacedAt: z.number(),
  replacedBy: z.string(),
  profileNames: z.array(z.string()),
  bytes: z.number(),
});

/** A folder name for another file's versions: the same path always gives the same one. */
function fileKey(path: string): string {
  return createHash('sha256').update(resolve(path)).digest('hex').slice(0, 16);
}

/** Ids sort by time; no other name in the folder is taken for a version. */
const idPattern = /^\d{15}-[0-9a-f]{8}$/;

/**
 * The last versions of the profiles file that the app replaced, each as the
 * exact bytes (`<id>.conf`) with what replaced it and when (`<id>.json`), in
 * a folder only the user can open, so a change can be taken back.
 */
export class HistoryStore implements VersionRecorder {
  readonly folder: string;
  readonly #log: Logger;
  readonly #keep: number;
  /** Records still being written, in order; reads wait for them. */
  #pending: Promise<void> = Promise.resolve();

  constructor(options: HistoryStoreOptions) {
    this.folder =
      options.otherFile === undefined
        ? join(options.dataDir, 'history')
        : join(options.dataDir, 'history', 'other-files', fileKey(options.otherFile));
    this.#log = options.log;
    this.#keep = options.keep ?? 20;
  }

  /**
   * Keeps one replaced version, then forgets the oldest beyond the limit.
   * Records are written one after another, so ids keep the order of the saves
   * even when the caller does not wait for one to finish.
   */
  record(version: ReplacedVersion): Promise<void> {
    const recorded = this.#pending.then(() => this.#write(version));
    this.#pending = recorded.catch(() => undefined);
    return recorded;
  }

  async #write(version: ReplacedVersion): Promise<void> {
    await this.#ensureFolder();
    // Ids order the versions; two saves within one millisecond still get their own place.
    const newest = Number((await this.#ids())[0]?.slice(0, 15) ?? -1);
    const order = Math.max(version.replacedAt, newest + 1);
    const id = `${String(order).padStart(15, '0')}-${randomBytes(4).toString('hex')}`;
    const entry: HistoryEntry = {
      id,
      replacedAt: version.replacedAt,
      replacedBy: version.replacedBy,
      profileNames: version.profileNames,
      bytes: version.bytes.length,
    };
    // The version first: an entry is listed only once its content is there.
    // Neither is flushed to disk: a kept version is a spare copy (the profiles
    // file itself is flushed), and flushing both would double the time a save
    // takes. A version cut short by a power loss is not offered (see #readEntry).
    const unflushed = { mode: 0o600, fsync: false };
    await writeFileAtomic(this.#contentPath(id), version.bytes, unflushed);
    await writeFileAtomic(this.#entryPath(id), JSON.stringify(entry), unflushed);
    await this.#prune();
  }

  /** Resolves when every version handed over so far is written (or failed to be). */
  settled(): Promise<void> {
    return this.#pending;
  }

  /** The kept versions, newest first. */
  async list(): Promise<HistoryEntry[]> {
    await this.settled();
    const entries: HistoryEntry[] = [];
    for (const id of await this.#ids()) {
      const entry = await this.#readEntry(id);
      if (entry !== null) {
        entries.push(entry);
      }
    }
    return entries;
  }

  /** The exact bytes of a kept version, or null when it is not kept (any more). */
  async read(id: string): Promise<{ entry: HistoryEntry; bytes: Buffer } | null> {
    if (!idPattern.test(id)) {
      return null;
    }
    await this.settled();
    const entry = await this.#readEntry(id);
    const bytes = await readFile(this.#contentPath(id)).catch(() => null);
    return entry === null || bytes?.length !== entry.bytes ? null : { entry, bytes };
  }

  async #ensureFolder(): Promise<void> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    // A folder made earlier by something else may be open to others.
    await chmod(this.folder, 0o700);
  }

  /** Ids of the versions in the folder, newest first. */
  async #ids(): Promise<string[]> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    return names
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter((id) => idPattern.test(id))
      .sort()
      .reverse();
  }

  /** A version's entry, or null when it or its content is missing, damaged or cut short. */
  async #readEntry(id: string): Promise<HistoryEntry | null> {
    try {
      const parsed = entrySchema.safeParse(
        JSON.parse(await readFile(this.#entryPath(id), 'utf8')),
      );
      const content = await stat(this.#contentPath(id));
      return parsed.success && content.size === parsed.data.bytes ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Removes versions beyond the limit, and content whose entry was never written. */
  async #prune(): Promise<void> {
    const kept = (await this.#ids()).slice(0, this.#keep);
    const oldestKept = kept.at(-1) ?? '';
    const names = await readdir(this.folder).catch(() => [] as string[]);
    const doomed = names.filter((name) => {
      const id = name.replace(/\.(json|conf)$/, '');
      return idPattern.test(id) && id < oldestKept;
    });
    for (const name of doomed) {
      await rm(join(this.folder, name), { force: true });
    }
    if (doomed.length > 0) {
      this.#log.info({ removed: doomed.length }, 'forgot the oldest kept versions');
    }
  }

  #entryPath(id: string): string {
    return join(this.folder, `${id}.json`);
  }

  #contentPath(id: string): string {
    return join(this.folder, `${id}.conf`);
  }
}
