import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import type { HistoryEntry } from '../../../shared/profile-types.js';
import type { Logger } from '../logger.js';
import { parseProfilesFile, viewDocument } from '../profiles-file/codec.js';
import type { VersionRecorder } from '../profiles-file/write-profiles-file.js';

export interface HistoryStoreOptions {
  /** The app's data folder; versions go in its `history` folder. */
  dataDir: string;
  log: Logger;
  /** How many versions to keep. */
  keep?: number;
}

const entrySchema = z.object({
  id: z.string(),
  replacedAt: z.number(),
  replacedBy: z.string(),
  profileNames: z.array(z.string()),
  bytes: z.number(),
});

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

  constructor(options: HistoryStoreOptions) {
    this.folder = join(options.dataDir, 'history');
    this.#log = options.log;
    this.#keep = options.keep ?? 20;
  }

  /** Keeps one replaced version, then forgets the oldest beyond the limit. */
  async record(version: {
    bytes: Buffer;
    replacedAt: number;
    replacedBy: string;
  }): Promise<void> {
    await this.#ensureFolder();
    // Ids order the versions; two saves within one millisecond still get their own place.
    const newest = Number((await this.#ids())[0]?.slice(0, 15) ?? -1);
    const order = Math.max(version.replacedAt, newest + 1);
    const id = `${String(order).padStart(15, '0')}-${randomBytes(4).toString('hex')}`;
    const entry: HistoryEntry = {
      id,
      replacedAt: version.replacedAt,
      replacedBy: version.replacedBy,
      profileNames: profileNamesIn(version.bytes),
      bytes: version.bytes.length,
    };
    // The version first: an entry is listed only once its content is there.
    await writeFileAtomic(this.#contentPath(id), version.bytes, { mode: 0o600 });
    await writeFileAtomic(this.#entryPath(id), JSON.stringify(entry), { mode: 0o600 });
    await this.#prune();
  }

  /** The kept versions, newest first. */
  async list(): Promise<HistoryEntry[]> {
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
    const entry = await this.#readEntry(id);
    const bytes = await readFile(this.#contentPath(id)).catch(() => null);
    return entry === null || bytes === null ? null : { entry, bytes };
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

  async #readEntry(id: string): Promise<HistoryEntry | null> {
    try {
      const parsed = entrySchema.safeParse(
        JSON.parse(await readFile(this.#entryPath(id), 'utf8')),
      );
      return parsed.success ? parsed.data : null;
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

function profileNamesIn(bytes: Buffer): string[] {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return viewDocument(parseProfilesFile(text)).profiles.map((profile) => profile.name);
  } catch {
    return [];
  }
}
