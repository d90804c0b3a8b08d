import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';

/**
 * The journal of secret moves: one small file per move in
 * `<dataDir>/secret-moves/`, written before anything is copied and removed
 * after the move ends, so a move cut short by a crash is found at the next
 * start. It never holds the secret, only a salted SHA-256 fingerprint of it:
 * enough to recognize the moved value in either place, useless to recover it.
 */

export const journalFolderName = 'secret-moves';

const journalSchema = z.strictObject({
  version: z.literal(1),
  /** What is moved, e.g. a keychain account id; the caller's key. */
  subject: z.string().min(1),
  /** Labels of the two places, as the caller named them. */
  from: z.string().min(1),
  to: z.string().min(1),
  /** 'copying' until the destination was read back and matched, then 'copied'. */
  step: z.enum(['copying', 'copied']),
  salt: z.string().min(1),
  fingerprint: z.string().min(1),
  startedAt: z.number(),
});

export type SecretMoveJournal = z.infer<typeof journalSchema>;

export type JournalEntry =
  { ok: true; path: string; journal: SecretMoveJournal } | { ok: false; path: string };

/** Where the journal of a subject's move lives. */
export function journalPath(dataDir: string, subject: string): string {
  const name = createHash('sha256').update(subject).digest('hex').slice(0, 32);

  return join(dataDir, journalFolderName, `${name}.json`);
}

/** A new journal for moving `secret`; the secret itself is not kept. */
export function newJournal(
  fields: Pick<SecretMoveJournal, 'subject' | 'from' | 'to' | 'startedAt'>,
  secret: string,
): SecretMoveJournal {
  const salt = randomBytes(16).toString('base64url');

  return {
    version: 1,
    ...fields,
    step: 'copying',
    salt,
    fingerprint: fingerprint(salt, secret),
  };
}

/** Whether `value` is the secret the journal was written for. */
export function isJournaledSecret(
  journal: SecretMoveJournal,
  value: string | null,
): boolean {
  return value !== null && fingerprint(journal.salt, value) === journal.fingerprint;
}

/** Writes a journal durably (fsync, atomic rename; file 0600, folders 0700). */
export async function saveJournal(
  dataDir: string,
  journal: SecretMoveJournal,
): Promise<void> {
  const folder = join(dataDir, journalFolderName);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chmod(folder, 0o700);
  await writeFileAtomic(journalPath(dataDir, journal.subject), JSON.stringify(journal), {
    mode: 0o600,
  });
}

export async function removeJournal(dataDir: string, subject: string): Promise<void> {
  await rm(journalPath(dataDir, subject), { force: true });
}

/** Whether a move of this subject is still journaled. */
export async function hasJournal(dataDir: string, subject: string): Promise<boolean> {
  try {
    await stat(journalPath(dataDir, subject));
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      return false;
    }
    throw error;
  }
}

/** Every journal in the folder; unreadable ones are listed as such. */
export async function listJournals(dataDir: string): Promise<JournalEntry[]> {
  const folder = join(dataDir, journalFolderName);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      return [];
    }
    throw error;
  }

  const journals = names
    .filter((name) => name.endsWith('.json'))
    .map((name) => readJournal(join(folder, name)));

  return Promise.all(journals);
}

async function readJournal(path: string): Promise<JournalEntry> {
  try {
    const parsed = journalSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success
      ? { ok: true, path, journal: parsed.data }
      : { ok: false, path };
  } catch {
    return { ok: false, path };
  }
}

function fingerprint(salt: string, secret: string): string {
  return createHash('sha256')
    .update(salt)
    .update('\0')
    .update(secret)
    .digest('base64url');
}
