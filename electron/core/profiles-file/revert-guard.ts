import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Result } from '../../../shared/result.js';
import type { Clock } from '../app-services.js';
import type { Logger } from '../logger.js';
import { parseProfilesFile, type ProfilesDocument } from './codec.js';
import { decodeUtf8AsPython, toUniversalNewlines } from './python-text.js';

/**
 * pydoover and the Doover CLI take no lock: a command reads the whole file
 * when it starts and writes its whole copy back after a token refresh, so a
 * change the app saved in between is overwritten with the old values. The
 * guard follows the file for a while after each of the app's saves and, when
 * another program's write puts back exactly the values a save replaced,
 * applies that save again to the file as it now is (keeping what the other
 * program changed).
 *
 * A save is followed for the window that began when it was first made,
 * however often it has to be applied again within it.
 *
 * The window is ten minutes: long enough for a `doover login` that read the
 * file, then waited for the user to approve its code (a device code lives
 * five minutes by FusionAuth's default, and rarely more than ten anywhere).
 *
 * LIMITATION: a program that holds its copy longer than the window (a Python
 * script that runs for hours and saves on every refresh) still overwrites the
 * app's change; and someone who, within the window, puts every changed value
 * back by hand has the app's change applied once more. Each save applied
 * again is told to the user in words, so neither goes unseen.
 */

/** One field of one profile (or whether the profile exists, or how often a kept block occurs). */
type FieldKey = string;
/** For each field a save changed, the values it had before (null: absent). */
type ReplacedValues = Map<FieldKey, Set<string | null>>;

/** What a save changed, read from the file before and after it. */
interface SavedChange {
  before: ProfilesDocument | null;
  afterText: string;
}

/** A save being followed: the fields it changed, their old values, and how to apply it again. */
interface Watch {
  change: SavedChange | null;
  replaced: ReplacedValues;
  until: number;
  lineage: object;
  reapply: () => Promise<Result<unknown>>;
  /** What the save did, in words ("Changed AGENT_ID of profile 'lab'"). */
  description: string;
}

export interface RevertGuardOptions {
  path: string;
  clock: Clock;
  log: Logger;
  /** How long after a save the file is followed. */
  windowMs?: number;
  /** How often the file's size and times are looked at. */
  pollMs?: number;
  /** How often the content is read even when size and times look unchanged (they tick coarsely). */
  readEveryMs?: number;
  /** Told, in words, of each save applied again after another program undid it. */
  onReapplied?: (description: string) => void;
}

const defaults = {
  windowMs: 10 * 60_000,
  pollMs: 50,
  readEveryMs: 1000,
  onReapplied: () => {},
};

export class RevertGuard {
  readonly #options: Required<RevertGuardOptions>;
  readonly #watches: Watch[] = [];
  /** When each edit's window ends, counted from its first save. */
  readonly #windows = new WeakMap<object, number>();
  /** The file's text as last seen or written by the app. */
  #lastText: string | null = null;
  /** Counts the texts seen: the same text can come back after another in between. */
  #textVersion = 0;
  #judgedVersion = 0;
  #lastSignature = '';
  #lastReadAt = 0;
  #loop: Promise<void> | null = null;
  #stopped = false;
  /** How many saves were applied again after another program overwrote them. */
  reappliedCount = 0;

  constructor(options: RevertGuardOptions) {
    this.#options = { ...defaults, ...options };
  }

  /**
   * Follows one save: `before` is the document it was applied to, `afterText`
   * what it wrote, `reapply` applies the same edit again to the file as it is
   * then, and `lineage` is the same object for every application of one edit.
   */
  watch(
    before: ProfilesDocument | null,
    afterText: string,
    lineage: object,
    reapply: () => Promise<Result<unknown>>,
    description: string,
  ): void {
    this.#watches.push({
      change: { before, afterText },
      replaced: new Map(),
      until: this.#windowOf(lineage),
      lineage,
      reapply,
      description,
    });
    this.#see(afterText);
    this.#loop ??= this.#follow().finally(() => {
      this.#loop = null;
    });
  }

  /** Resolves when no save is being followed any more. */
  async settled(): Promise<void> {
    while (this.#loop !== null) {
      await this.#loop;
    }
  }

  /** Stops following the file (until the next save); waits for a save being applied again to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.settled();
    this.#watches.length = 0;
    this.#stopped = false;
  }

  async #follow(): Promise<void> {
    while (!this.#stopped && this.#forgetExpired() > 0) {
      await this.#readIfChanged();
      // A save applied to a file another program had just overwritten hides
      // that overwrite, so the file is judged after the app's own saves too.
      if (this.#lastText !== null && this.#textVersion !== this.#judgedVersion) {
        await this.#putBackReverted(this.#lastText);
      }
      // Unreferenced: following the file never keeps a finished process alive.
      await sleep(this.#options.pollMs, undefined, { ref: false });
    }
  }

  #forgetExpired(): number {
    const now = this.#options.clock.now();
    const kept = this.#watches.filter((watch) => watch.until > now);
    this.#watches.splice(0, this.#watches.length, ...kept);
    return kept.length;
  }

  /**
   * Works out what each new save changed, once, away from the save itself. A
   * later save of the same field takes it over from the earlier ones, so
   * changing a value back in the app is not mistaken for an overwrite.
   */
  #describePendingChanges(): void {
    for (const [index, watch] of this.#watches.entries()) {
      if (watch.change === null) {
        continue;
      }
      const after = parseProfilesFile(watch.change.afterText);
      watch.replaced = replacedValues(watch.change.before, after);
      watch.change = null;
      const saved = fieldValuesOf(after);
      for (const earlier of this.#watches.slice(0, index)) {
        takeOverFields(watch.replaced, earlier.replaced, saved);
      }
    }
  }

  /** Reads the file when its size or times changed, or now and then anyway; keeps the last text seen. */
  async #readIfChanged(): Promise<void> {
    const signature = await signatureOf(this.#options.path);
    const now = this.#options.clock.now();
    if (
      signature === this.#lastSignature &&
      now - this.#lastReadAt < this.#options.readEveryMs
    ) {
      return;
    }
    this.#lastSignature = signature;
    this.#lastReadAt = now;
    const text = await readSettledText(this.#options.path);
    if (text !== null && text !== this.#lastText) {
      this.#see(text);
    }
  }

  #see(text: string): void {
    this.#lastText = text;
    this.#textVersion += 1;
  }

  /**
   * Applies again, in the order they were made, the saves whose every change
   * was undone; each is judged against the file as the saves applied again
   * before it left it, so a later save of the same field lands last.
   */
  async #putBackReverted(text: string): Promise<void> {
    // Saves made while the file was being read are judged too, and only
    // saves still inside the window.
    this.#forgetExpired();
    this.#describePendingChanges();
    let judgedVersion = this.#textVersion;
    let current = fieldValuesOf(parseProfilesFile(text));
    let tryAgain = false;
    for (const watch of [...this.#watches]) {
      if (this.#lastText !== null && this.#textVersion !== judgedVersion) {
        judgedVersion = this.#textVersion;
        current = fieldValuesOf(parseProfilesFile(this.#lastText));
      }
      if (watch.change === null && isReverted(watch.replaced, current)) {
        const place = this.#watches.indexOf(watch);
        this.#watches.splice(place, 1);
        if (!(await this.#reapply(watch))) {
          // The file could not be written just now (the other program kept
          // writing): the save stays followed and is judged again.
          this.#watches.splice(place, 0, watch);
          tryAgain = true;
        }
      }
    }
    this.#judgedVersion = tryAgain ? -1 : judgedVersion;
  }

  #windowOf(lineage: object): number {
    const until =
      this.#windows.get(lineage) ?? this.#options.clock.now() + this.#options.windowMs;
    this.#windows.set(lineage, until);
    return until;
  }

  /** Applies a save again; false when the file could not be written and it is worth trying again. */
  async #reapply(watch: Watch): Promise<boolean> {
    this.#options.log.info(
      'another program overwrote a change to the profiles file; applying it again',
    );
    const result = await watch.reapply();
    if (result.ok) {
      this.reappliedCount += 1;
      this.#options.onReapplied(watch.description);
      return true;
    }
    this.#options.log.warn(
      { code: result.error.code },
      'could not apply again a change another program overwrote',
    );

    return result.error.code !== 'file-write-failed';
  }
}

/** The values a save replaced: every field it changed, as it was before the save. */
export function replacedValues(
  before: ProfilesDocument | null,
  after: ProfilesDocument,
): ReplacedValues {
  const old = before === null ? new Map<FieldKey, string>() : fieldValuesOf(before);
  const saved = fieldValuesOf(after);
  const changed: ReplacedValues = new Map();
  for (const key of new Set([...old.keys(), ...saved.keys()])) {
    if (old.get(key) !== saved.get(key)) {
      changed.set(key, new Set([old.get(key) ?? null]));
    }
  }
  return changed;
}

/**
 * A later save of a field takes it over from an earlier one, with the values
 * the earlier one replaced: a stale copy older than both puts back one of
 * those, and the later save is the one to apply again. Its own saved value
 * is not among them, so setting a value back in the app is not an overwrite.
 */
function takeOverFields(
  later: ReplacedValues,
  earlier: ReplacedValues,
  saved: Map<FieldKey, string>,
): void {
  for (const [key, laterValues] of later) {
    for (const value of earlier.get(key) ?? []) {
      if (value !== (saved.get(key) ?? null)) {
        laterValues.add(value);
      }
    }
    earlier.delete(key);
  }
}

/** True when every field a save changed is back at a value it had before the app's saves. */
export function isReverted(
  replaced: ReplacedValues,
  current: Map<FieldKey, string>,
): boolean {
  if (replaced.size === 0) {
    return false;
  }
  for (const [key, values] of replaced) {
    if (!values.has(current.get(key) ?? null)) {
      return false;
    }
  }
  return true;
}

/**
 * Every value pydoover reads (the last block of a name wins, and the last line
 * of a key within it), whether each profile exists, and how many times each
 * block it keeps as it is occurs, as one flat map.
 */
export function fieldValuesOf(document: ProfilesDocument): Map<FieldKey, string> {
  const fields = new Map<FieldKey, string>();
  const lastBlocks = new Map<string, Array<[string, string]>>();
  for (const { reading, text } of document.segments) {
    if (reading.kind === 'profile') {
      lastBlocks.set(reading.name, reading.entries);
    } else if (reading.kind === 'raw') {
      const key = JSON.stringify(['kept block', toUniversalNewlines(text)]);
      fields.set(key, String(Number(fields.get(key) ?? 0) + 1));
    }
  }
  for (const [name, entries] of lastBlocks) {
    fields.set(JSON.stringify(['profile', name]), 'present');
    for (const [key, value] of entries) {
      fields.set(JSON.stringify(['field', name, key]), value);
    }
  }
  return fields;
}

async function signatureOf(path: string): Promise<string> {
  const info = await stat(path, { bigint: true }).catch(() => null);
  return info === null
    ? 'missing'
    : `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
}

/** pydoover truncates before it writes: wait until two reads a moment apart agree. */
async function readSettledText(path: string): Promise<string | null> {
  let previous = await readFile(path).catch(() => null);
  for (let check = 0; check < 20; check += 1) {
    await sleep(15);
    const now = await readFile(path).catch(() => null);
    if (now === null || previous === null) {
      return null;
    }
    if (now.equals(previous)) {
      return decodeUtf8AsPython(now);
    }
    previous = now;
  }
  return null;
}
