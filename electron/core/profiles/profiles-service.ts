import { createHash } from 'node:crypto';
import type { Unsubscribe } from '../../../shared/contract.js';
import type {
  ConfigSnapshot,
  FileChange,
  RevealedSecret,
  SecretField,
} from '../../../shared/profile-types.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import type { Clock } from '../app-services.js';
import type { Logger } from '../logger.js';
import { viewDocument } from '../profiles-file/codec.js';
import {
  readProfilesFile,
  type FileReading,
} from '../profiles-file/read-profiles-file.js';
import { buildSnapshot } from '../profiles-file/snapshot.js';
import {
  watchProfilesFile,
  type FileWatch,
} from '../profiles-file/watch-profiles-file.js';
import { describeFileChanges, type FileView } from './change-descriptions.js';

// Enough for a burst of saves that the watcher has not caught up with yet.
const rememberedWrites = 8;

export interface ProfilesServiceOptions {
  path: string;
  clock: Clock;
  log: Logger;
}

/**
 * Keeps the app's view of the profiles file current: reads it at start, again
 * whenever any program changes it, and tells listeners when what they would
 * see has changed.
 */
export class ProfilesService {
  readonly #path: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #listeners = new Set<(snapshot: ConfigSnapshot) => void>();
  readonly #changeListeners = new Set<(changes: FileChange[]) => void>();
  /** Digests of texts the app itself wrote, so they are not taken for another program's. */
  readonly #ownWrites: string[] = [];
  #snapshot: ConfigSnapshot;
  #lastText: string | null | undefined;
  /** The file as it was when changes were last described to the user. */
  #noticedText: string | null | undefined;
  #lastView: FileView | undefined;
  #watch: FileWatch | undefined;

  constructor(options: ProfilesServiceOptions) {
    this.#path = options.path;
    this.#clock = options.clock;
    this.#log = options.log;
    this.#snapshot = buildSnapshot(this.#path, missing, this.#clock.now());
  }

  get snapshot(): ConfigSnapshot {
    return this.#snapshot;
  }

  async start(): Promise<void> {
    await this.reload();
    this.#watch = await watchProfilesFile(
      this.#path,
      (change) => void this.reload(change),
      (error) => this.#log.warn({ err: error }, 'could not watch the profiles file'),
    );
  }

  async stop(): Promise<void> {
    await this.#watch?.close();
    this.#watch = undefined;
  }

  onSnapshot(listener: (snapshot: ConfigSnapshot) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hears, in words, what other programs change in the file. */
  onFileChanges(listener: (changes: FileChange[]) => void): Unsubscribe {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Remembers a text the app is about to write, so reading it back is not news. */
  noteOwnWrite(text: string): void {
    this.#ownWrites.push(digest(text));
    this.#ownWrites.splice(0, this.#ownWrites.length - rememberedWrites);
  }

  /** Reads the file again; listeners hear of it only when something differs. */
  async reload(
    change: { settled: boolean } = { settled: true },
  ): Promise<ConfigSnapshot> {
    const reading = await readProfilesFile(this.#path);
    const fingerprint = reading.text ?? reading.state.status;
    // Changes are described only once the file has settled: a program that
    // truncates and rewrites (as pydoover does) is briefly seen half-written,
    // and that moment must not read as "every profile was removed".
    if (change.settled && fingerprint !== this.#noticedText) {
      this.#noticedText = fingerprint;
      this.#noticeChanges(reading);
    }
    if (
      fingerprint === this.#lastText ||
      (!change.settled && this.#looksTruncated(reading))
    ) {
      return this.#snapshot;
    }

    this.#lastText = fingerprint;
    this.#snapshot = buildSnapshot(this.#path, reading, this.#clock.now());
    this.#log.info(
      { status: reading.state.status, profiles: this.#snapshot.profiles.length },
      'read the profiles file',
    );
    for (const listener of this.#listeners) {
      listener(this.#snapshot);
    }
    return this.#snapshot;
  }

  /** An empty file where there was content: most likely a rewrite in progress. */
  #looksTruncated(reading: FileReading): boolean {
    const shown = this.#snapshot;
    const hadContent = shown.profiles.length > 0 || shown.preservedBlocks.length > 0;
    return reading.text === '' && hadContent;
  }

  #noticeChanges(reading: FileReading): void {
    const view: FileView =
      reading.document === null
        ? { status: reading.state.status === 'missing' ? 'missing' : 'unreadable' }
        : { status: 'ok', view: viewDocument(reading.document) };
    const previous = this.#lastView;
    this.#lastView = view;
    if (previous === undefined || this.#isOwnWrite(reading.text)) {
      return;
    }

    const changes = describeFileChanges(previous, view, this.#clock.now());
    if (changes.length > 0) {
      this.#log.info(
        { changes: changes.length },
        'another program changed the profiles file',
      );
      for (const listener of this.#changeListeners) {
        listener(changes);
      }
    }
  }

  #isOwnWrite(text: string | null): boolean {
    const index = text === null ? -1 : this.#ownWrites.indexOf(digest(text));
    if (index >= 0) {
      this.#ownWrites.splice(index, 1);
    }
    return index >= 0;
  }

  /** A profile's token or refresh token, read fresh from the file, for the user who asked. */
  async revealSecret(
    profile: string,
    field: SecretField,
  ): Promise<Result<RevealedSecret>> {
    const reading = await readProfilesFile(this.#path);
    if (reading.document === null) {
      return fail('file-unreadable', 'The profiles file cannot be read right now.');
    }
    const record = viewDocument(reading.document).profiles.find(
      (each) => each.name === profile,
    );
    const value = record?.values.get(field === 'token' ? 'TOKEN' : 'REFRESH_TOKEN') ?? '';
    if (record === undefined) {
      return fail('not-found', `There is no profile named “${profile}” any more.`);
    }
    if (value === '') {
      return fail(
        'not-found',
        `The profile “${profile}” has no ${field === 'token' ? 'token' : 'refresh token'}.`,
      );
    }

    this.#log.info({ field }, 'revealed a secret at the user’s request');
    return ok({ value });
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const missing: FileReading = { state: { status: 'missing' }, text: null, document: null };
