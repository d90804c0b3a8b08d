import { basename } from 'node:path';
import type { Clock } from '../app-services.js';
import type { Logger } from '../logger.js';
import type { KeychainFailure } from './keychain-errors.js';
import type { Keychain, KeychainResult } from './keychain.js';
import {
  hasJournal,
  isJournaledSecret,
  listJournals,
  newJournal,
  removeJournal,
  saveJournal,
  type SecretMoveJournal,
} from './secret-move-journal.js';

/**
 * Moving a secret (a refresh token, a client secret) from one place to another
 * without ever losing it: write the destination, read it back and compare,
 * and only then remove the source. A journal written first lets the next start
 * finish or undo a move that a crash cut short. Whatever fails, the secret is
 * left in two places, never in none.
 */

/** One place a secret can live, given as functions. Each throws when it fails. */
export interface SecretLocation {
  /** The place in words, for messages and the journal: "the keychain". */
  readonly label: string;
  /** The secret stored there, or null when there is none. */
  read(): Promise<string | null>;
  write(secret: string): Promise<void>;
  /** Removes the secret; removing a secret that is not there is not an error. */
  remove(): Promise<void>;
}

export interface SecretMoveRequest {
  /** What is moved, unique per secret (a keychain account id); keys the journal. */
  subject: string;
  source: SecretLocation;
  destination: SecretLocation;
}

/** Points a move reaches, in order; each is reported once it is done. */
export type SecretMoveStep =
  'journal-written' | 'destination-written' | 'destination-verified' | 'source-removed';

export interface SecretMoveOptions {
  /** The app's data folder; the journal lives in its `secret-moves` folder. */
  dataDir: string;
  clock?: Clock;
  log?: Logger;
  /** Called after each step; lets a caller show progress (and tests stop at a step). */
  onStep?: (step: SecretMoveStep) => void | Promise<void>;
}

export type SecretMoveResult =
  | { status: 'moved' }
  /** Copied and checked, but the source could not be removed; the next start retries. */
  | { status: 'moved-source-kept'; message: string }
  /** Nothing changed: the secret is still in the source. */
  | { status: 'failed'; message: string }
  | { status: 'nothing-to-move'; message: string }
  /** An earlier move of the same subject is unfinished; recover it first. */
  | { status: 'busy'; message: string };

/** Moves a secret from `source` to `destination`, journaled. */
export async function moveSecret(
  request: SecretMoveRequest,
  options: SecretMoveOptions,
): Promise<SecretMoveResult> {
  const { source, subject } = request;
  if (await hasJournal(options.dataDir, subject)) {
    return {
      status: 'busy',
      message:
        'An earlier move of this sign-in has not finished yet. Restart the app to finish it.',
    };
  }

  const secret = await attempt(() => source.read(), options.log, 'read source');
  if (!secret.ok) {
    return failed(
      `The sign-in could not be read from ${source.label}${reason(secret.error)}.`,
    );
  }
  if (secret.value === null) {
    return {
      status: 'nothing-to-move',
      message: `There is no sign-in in ${source.label}.`,
    };
  }

  return copyThenRemove(request, secret.value, options);
}

async function copyThenRemove(
  request: SecretMoveRequest,
  secret: string,
  options: SecretMoveOptions,
): Promise<SecretMoveResult> {
  const journal = newJournal(
    {
      subject: request.subject,
      from: request.source.label,
      to: request.destination.label,
      startedAt: (options.clock ?? Date).now(),
    },
    secret,
  );

  const copyFailure = await copyAndCheck(request, secret, journal, options);

  return copyFailure ?? removeSource(request, options);
}

/** Journals the move, writes the destination and reads it back; null when all went well. */
async function copyAndCheck(
  request: SecretMoveRequest,
  secret: string,
  journal: SecretMoveJournal,
  options: SecretMoveOptions,
): Promise<SecretMoveResult | null> {
  const { destination } = request;
  const { dataDir, log } = options;
  const stays = `; it stays in ${request.source.label}`;

  const journaled = await attempt(
    () => saveJournal(dataDir, journal),
    log,
    'write journal',
  );
  if (!journaled.ok) {
    return failed(`The move could not be recorded in the app's data folder${stays}.`);
  }
  await options.onStep?.('journal-written');

  const written = await attempt(
    () => destination.write(secret),
    log,
    'write destination',
  );
  if (!written.ok) {
    await rollBack(request, journal, options);
    return failed(
      `The sign-in could not be written to ${destination.label}${reason(written.error)}${stays}.`,
    );
  }
  await options.onStep?.('destination-written');

  const readBack = await attempt(() => destination.read(), log, 'read back destination');
  if (!readBack.ok || readBack.value !== secret) {
    await rollBack(request, journal, options);
    return failed(
      `The sign-in read back from ${destination.label} did not match what was written${stays}.`,
    );
  }
  // Informational only: recovery decides by the fingerprint, not by the step.
  const copied: SecretMoveJournal = { ...journal, step: 'copied' };
  await attempt(() => saveJournal(dataDir, copied), log, 'update journal');
  await options.onStep?.('destination-verified');

  return null;
}

/** The last step: the destination is known good, so the source copy can go. */
async function removeSource(
  request: SecretMoveRequest,
  options: SecretMoveOptions,
): Promise<SecretMoveResult> {
  const { source, destination } = request;
  const removed = await attempt(() => source.remove(), options.log, 'remove source');
  if (!removed.ok) {
    // The journal stays, so the next start removes the source copy.
    return {
      status: 'moved-source-kept',
      message: `The sign-in is now in ${destination.label}, but it could not be removed from ${source.label}${reason(removed.error)}. The app tries again at the next start.`,
    };
  }
  await options.onStep?.('source-removed');

  const journalRemoved = () => removeJournal(options.dataDir, request.subject);
  await attempt(journalRemoved, options.log, 'remove journal');

  return { status: 'moved' };
}

/**
 * Undoes a move that failed before the destination was checked: removes the
 * destination's copy, but only while the source still holds the same secret.
 * If that cannot be done, two copies remain, which loses nothing.
 */
async function rollBack(
  request: SecretMoveRequest,
  journal: SecretMoveJournal,
  options: SecretMoveOptions,
): Promise<void> {
  const log = options.log;
  const [inSource, inDestination] = await Promise.all([
    attempt(() => request.source.read(), log, 'roll back: read source'),
    attempt(() => request.destination.read(), log, 'roll back: read destination'),
  ]);
  const sourceKeepsIt = inSource.ok && isJournaledSecret(journal, inSource.value);
  if (
    sourceKeepsIt &&
    inDestination.ok &&
    isJournaledSecret(journal, inDestination.value)
  ) {
    await attempt(
      () => request.destination.remove(),
      log,
      'roll back: remove destination',
    );
  }

  // The user is told the move failed, so the next start must not complete it.
  await attempt(
    () => removeJournal(options.dataDir, request.subject),
    log,
    'remove journal',
  );
}

export type SecretMoveRecoveryOutcome =
  /** The destination had the secret: the source copy was removed. */
  | 'completed'
  /** The destination never got the secret: it stays in the source. */
  | 'rolled-back'
  /** Neither place holds the moved secret any more: both were changed since. */
  | 'superseded'
  /** Could not be decided now (a place cannot be read); tried again next time. */
  | 'pending'
  /** The journal file itself cannot be read; left for a person to look at. */
  | 'unreadable';

export interface SecretMoveRecovery {
  /** The journaled subject, or null when the journal is unreadable. */
  subject: string | null;
  outcome: SecretMoveRecoveryOutcome;
  message: string;
}

export interface RecoverSecretMovesOptions {
  dataDir: string;
  log?: Logger;
  /** The two places of a journaled move, or null when they no longer exist. */
  locate: (
    journal: Pick<SecretMoveJournal, 'subject' | 'from' | 'to'>,
  ) => { source: SecretLocation; destination: SecretLocation } | null;
}

/**
 * Finishes or undoes every move a crash cut short; run once at start, before
 * anything reads the secrets. The moved secret is recognized by its journaled
 * fingerprint: if the destination holds it the move is completed, else if the
 * source holds it the move is undone (the destination never got it).
 */
export async function recoverSecretMoves(
  options: RecoverSecretMovesOptions,
): Promise<SecretMoveRecovery[]> {
  const entries = await listJournals(options.dataDir);

  return Promise.all(
    entries.map((entry) =>
      entry.ok
        ? recoverOne(entry.journal, options)
        : {
            subject: null,
            outcome: 'unreadable' as const,
            message: `An unfinished move could not be read (${basename(entry.path)}).`,
          },
    ),
  );
}

async function recoverOne(
  journal: SecretMoveJournal,
  options: RecoverSecretMovesOptions,
): Promise<SecretMoveRecovery> {
  const { subject } = journal;
  const report = (outcome: SecretMoveRecoveryOutcome, message: string) => ({
    subject,
    outcome,
    message,
  });
  const places = options.locate(journal);
  if (places === null) {
    return report('pending', 'The places of an unfinished move are not known now.');
  }

  const log = options.log;
  const [inSource, inDestination] = await Promise.all([
    attempt(() => places.source.read(), log, 'recover: read source'),
    attempt(() => places.destination.read(), log, 'recover: read destination'),
  ]);
  if (!inSource.ok || !inDestination.ok) {
    return report('pending', 'An unfinished move of a sign-in cannot be checked now.');
  }

  const outcome = await decide(
    journal,
    places.source,
    inSource.value,
    inDestination.value,
    log,
  );
  if (outcome !== 'pending') {
    await attempt(() => removeJournal(options.dataDir, subject), log, 'remove journal');
  }
  log?.info(
    { outcome, from: journal.from, to: journal.to },
    'unfinished secret move recovered',
  );

  return report(outcome, recoveryMessage(outcome, journal));
}

async function decide(
  journal: SecretMoveJournal,
  source: SecretLocation,
  inSource: string | null,
  inDestination: string | null,
  log: Logger | undefined,
): Promise<SecretMoveRecoveryOutcome> {
  if (isJournaledSecret(journal, inDestination)) {
    if (!isJournaledSecret(journal, inSource)) {
      return 'completed';
    }
    const removed = await attempt(() => source.remove(), log, 'recover: remove source');
    return removed.ok ? 'completed' : 'pending';
  }

  return isJournaledSecret(journal, inSource) ? 'rolled-back' : 'superseded';
}

function recoveryMessage(
  outcome: SecretMoveRecoveryOutcome,
  journal: SecretMoveJournal,
): string {
  switch (outcome) {
    case 'completed':
      return `A move of a sign-in to ${journal.to} that was cut short has been completed.`;
    case 'rolled-back':
      return `A move of a sign-in to ${journal.to} that was cut short was undone; it stays in ${journal.from}.`;
    case 'superseded':
      return `A move of a sign-in that was cut short was dropped: both ${journal.from} and ${journal.to} have changed since.`;
    case 'pending':
      return `A move of a sign-in to ${journal.to} that was cut short could not be finished yet; the app tries again at the next start.`;
    case 'unreadable':
      return `An unfinished move could not be read.`;
  }
}

/** A place in the keychain; its functions throw `KeychainCallError` on failure. */
export function keychainSecretLocation(
  keychain: Keychain,
  account: string,
): SecretLocation {
  return {
    label: 'the keychain',
    read: async () => unwrap(await keychain.getSecret(account)),
    write: async (secret) => unwrap(await keychain.setSecret(account, secret)),
    remove: async () => {
      unwrap(await keychain.deleteSecret(account));
    },
  };
}

/** A keychain call that failed, carrying its classified failure. */
export class KeychainCallError extends Error {
  constructor(readonly failure: KeychainFailure) {
    super(failure.message);
    this.name = 'KeychainCallError';
  }
}

function unwrap<T>(result: KeychainResult<T>): T {
  if (!result.ok) {
    throw new KeychainCallError(result.error);
  }
  return result.value;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function attempt<T>(
  run: () => Promise<T>,
  log: Logger | undefined,
  step: string,
): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    log?.warn(
      { step, detail: error instanceof Error ? error.message : String(error) },
      'secret move step failed',
    );
    return { ok: false, error };
  }
}

/** A keychain failure's plain message as a clause; other errors stay unnamed. */
function reason(error: unknown): string {
  return error instanceof KeychainCallError
    ? ` (${error.failure.message.replace(/\.$/, '')})`
    : '';
}

function failed(message: string): SecretMoveResult {
  return { status: 'failed', message };
}
