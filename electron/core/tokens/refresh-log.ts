import { appendFile, chmod, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import type {
  RefreshLogEntry,
  RefreshLogResult,
  RefreshTrigger,
} from '../../../shared/token-types.js';
import type { Logger } from '../logger.js';
import type { TokenOutcome } from './token-service.js';

/** How many renewal attempts the log keeps, in memory and on disk. */
export const REFRESH_LOG_SIZE = 500;

const fileMode = 0o600;

const storedEntry = z.object({
  at: z.number(),
  profile: z.string(),
  trigger: z.enum(['scheduled', 'wake', 'button', 'copy', 'command line', 'new sign-in']),
  result: z.enum(['renewed', 'needs-sign-in', 'failed', 'keychain-locked']),
  message: z.string(),
  durationMs: z.number(),
});

/** Where the renewal log lives in the app's data folder. */
export function refreshLogPath(dataDir: string): string {
  return join(dataDir, 'refresh-log.jsonl');
}

/** Takes one renewal attempt into the log. */
export interface RefreshRecorder {
  record(entry: RefreshLogEntry): void;
}

export interface RefreshLogOptions {
  path: string;
  /** The central redaction pass; every message goes through it before it is kept. */
  redact(text: string): string;
  log: Logger;
  /** Told of every entry once it is kept. */
  onEntry?(entry: RefreshLogEntry): void;
  size?: number;
}

/**
 * The last renewal attempts of every profile: a ring in memory, appended as
 * JSON lines to a 0600 file so it outlives a restart, and trimmed back to the
 * ring's size at start and whenever it has doubled. The command line appends
 * to the same file, so the file is read again before the log is shown or
 * trimmed, and its entries join those in memory.
 *
 * LIMITATION: an entry another process appends between this process's read
 * and its rename of the trimmed file is lost; it is one line of a log, and a
 * lock for it would make every renewal wait on the log.
 */
export class RefreshLog implements RefreshRecorder {
  readonly #options: RefreshLogOptions;
  readonly #size: number;
  #entries: RefreshLogEntry[] = [];
  #appendedSinceTrim = 0;
  #writes: Promise<void> = Promise.resolve();

  constructor(options: RefreshLogOptions) {
    this.#options = options;
    this.#size = options.size ?? REFRESH_LOG_SIZE;
  }

  /** Reads the kept entries and trims the file to the last `size`. */
  async load(): Promise<void> {
    await this.#queue(() => this.#rewrite());
  }

  /** Newest first. */
  entries(): RefreshLogEntry[] {
    return [...this.#entries].reverse();
  }

  /** Newest first, with what other processes (the command line) added to the file meanwhile. */
  async entriesWithOthers(): Promise<RefreshLogEntry[]> {
    await this.#queue(() => this.#mergeFile());

    return this.entries();
  }

  record(entry: RefreshLogEntry): void {
    const kept = { ...entry, message: this.#options.redact(entry.message) };
    this.#entries.push(kept);
    if (this.#entries.length > this.#size) {
      this.#entries.splice(0, this.#entries.length - this.#size);
    }
    this.#options.onEntry?.(kept);
    void this.#queue(() => this.#append(kept));
  }

  /** Resolves once every entry recorded so far is on disk. */
  flushed(): Promise<void> {
    return this.#writes;
  }

  #queue(write: () => Promise<void>): Promise<void> {
    this.#writes = this.#writes.then(write).catch((error: unknown) => {
      // A log that cannot be written must never stop a renewal.
      this.#options.log.warn({ err: error }, 'the renewal log could not be written');
    });
    return this.#writes;
  }

  async #append(entry: RefreshLogEntry): Promise<void> {
    this.#appendedSinceTrim += 1;
    if (this.#appendedSinceTrim >= this.#size) {
      await this.#rewrite();
      return;
    }
    await mkdir(dirname(this.#options.path), { recursive: true });
    await appendFile(this.#options.path, `${JSON.stringify(entry)}\n`, {
      mode: fileMode,
    });
  }

  /** Joins the file's entries to those in memory, each once, in time order. */
  async #mergeFile(): Promise<void> {
    const text = await readFile(this.#options.path, 'utf8').catch(() => '');
    const byLine = new Map<string, RefreshLogEntry>();
    for (const entry of [...text.split('\n').flatMap(parseLine), ...this.#entries]) {
      byLine.set(entryKey(entry), entry);
    }
    this.#entries = [...byLine.values()].sort((a, b) => a.at - b.at).slice(-this.#size);
  }

  async #rewrite(): Promise<void> {
    await this.#mergeFile();
    this.#appendedSinceTrim = 0;
    await mkdir(dirname(this.#options.path), { recursive: true });
    const lines = this.#entries.map((entry) => `${JSON.stringify(entry)}\n`);
    await writeFileAtomic(this.#options.path, lines.join(''), { mode: fileMode });
    // An older file made with a wider mode is narrowed too.
    await chmod(this.#options.path, fileMode);
  }
}

/** One attempt's identity: the same attempt read from the file and held in memory is kept once. */
function entryKey(entry: RefreshLogEntry): string {
  return [
    entry.at,
    entry.profile,
    entry.trigger,
    entry.result,
    entry.durationMs,
    entry.message,
  ].join('|');
}

function parseLine(line: string): RefreshLogEntry[] {
  if (line.trim() === '') return [];
  try {
    const parsed = storedEntry.safeParse(JSON.parse(line));
    return parsed.success ? [parsed.data] : [];
  } catch {
    return [];
  }
}

/** The log's words for a renewal's outcome; null when nothing was renewed (a token still good). */
export function refreshLogResult(
  outcome: TokenOutcome,
): { result: RefreshLogResult; message: string } | null {
  if (outcome.ok) {
    return outcome.value.refreshed
      ? { result: 'renewed', message: renewedWords(outcome) }
      : null;
  }
  if (outcome.keychain !== undefined) {
    return { result: 'keychain-locked', message: outcome.keychain.message };
  }
  const result = outcome.failure.kind === 'needs-sign-in' ? 'needs-sign-in' : 'failed';

  return { result, message: outcome.failure.message };
}

function renewedWords(outcome: TokenOutcome & { ok: true }): string {
  const { expiresAt, issuedAt } = outcome.value;
  if (expiresAt === null || issuedAt === null) return 'Renewed.';
  const minutes = Math.round((expiresAt - issuedAt) / 60);

  return minutes >= 1
    ? `Renewed; the new token lasts ${minutes} min.`
    : `Renewed; the new token lasts ${Math.max(0, expiresAt - issuedAt)} s.`;
}

/** Records the attempt `run` makes, with its trigger and how long it took. */
export async function recordAttempt(
  recorder: RefreshRecorder | undefined,
  attempt: { profile: string; trigger: RefreshTrigger; now(): number },
  run: () => Promise<TokenOutcome>,
): Promise<TokenOutcome> {
  const at = attempt.now();
  const outcome = await run();
  const words = refreshLogResult(outcome);
  if (recorder !== undefined && words !== null) {
    recorder.record({
      at,
      profile: attempt.profile,
      trigger: attempt.trigger,
      ...words,
      durationMs: Math.max(0, attempt.now() - at),
    });
  }

  return outcome;
}
