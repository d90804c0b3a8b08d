import { createHash, randomUUID } from 'node:crypto';
import type {
  ConfigSnapshot,
  ExpiryRepair,
  HistoryEntry,
  PreservedBlockText,
  ProfileDeletionReceipt,
  ProfileFieldChanges,
  ProfileWriteReceipt,
} from '../../../shared/profile-types.js';
import { profileKeys } from '../../../shared/profile-types.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import type { Clock } from '../app-services.js';
import type { HistoryStore } from '../history/history-store.js';
import type { Logger } from '../logger.js';
import { viewDocument } from '../profiles-file/codec.js';
import type { LockSettings } from '../profiles-file/file-lock.js';
import type { ProfilePatch, RemovedBlock } from '../profiles-file/patch.js';
import { readProfilesFile } from '../profiles-file/read-profiles-file.js';
import {
  applyPatchToFile,
  replaceProfilesFile,
  type WriteOptions,
  type WriteOutcome,
} from '../profiles-file/write-profiles-file.js';
import { decodeUtf8AsPython } from '../profiles-file/python-text.js';
import type { RevertGuard } from '../profiles-file/revert-guard.js';

/** What the editor needs of the service that follows the file. */
export interface FileFollower {
  noteOwnWrite(text: string): void;
  reload(): Promise<ConfigSnapshot>;
}

export interface ProfileEditorOptions {
  path: string;
  clock: Clock;
  log: Logger;
  history: HistoryStore;
  profiles: FileFollower;
  lock?: LockSettings;
  /** Puts back a save that a program taking no lock overwrote. */
  guard?: RevertGuard;
  /** How long a deletion can be undone, in milliseconds. */
  undoWindowMs?: number;
}

interface PendingUndo {
  profile: string;
  blocks: RemovedBlock[];
  until: number;
}

/**
 * Every change the user makes to the profiles file: each is a patch applied
 * to the file as it is on disk, written under the lock, kept in history, and
 * answered with the file as it now reads.
 */
export class ProfileEditor {
  readonly #options: ProfileEditorOptions;
  readonly #undo = new Map<string, PendingUndo>();

  constructor(options: ProfileEditorOptions) {
    this.#options = options;
  }

  create(name: string, fields: ProfileFieldChanges, replace: boolean) {
    return this.#apply({ kind: 'create', profile: name, fields, replace });
  }

  update(name: string, fields: ProfileFieldChanges) {
    return this.#apply({ kind: 'update', profile: name, fields });
  }

  rename(name: string, newName: string, replace: boolean) {
    return this.#apply({ kind: 'rename', profile: name, newName, replace });
  }

  duplicate(name: string, newName: string, replace: boolean) {
    return this.#apply({ kind: 'duplicate', profile: name, newName, replace });
  }

  repairExpiry(name: string, repair: ExpiryRepair) {
    return this.#apply({ kind: 'repair-expiry', profile: name, repair });
  }

  /** Puts a blank line before each profile that starts inside this one, so each is read apart. */
  separateJoined(name: string) {
    return this.#apply({ kind: 'separate-joined', profile: name });
  }

  /** Deletes every block of a profile, keeping them in memory for a while for Undo. */
  async delete(name: string): Promise<Result<ProfileDeletionReceipt>> {
    const written = await applyPatchToFile(
      this.#options.path,
      { kind: 'delete', profile: name },
      this.#writeOptions(),
    );
    if (!written.ok) {
      return written;
    }

    const undoId = randomUUID();
    const until = this.#options.clock.now() + (this.#options.undoWindowMs ?? 60_000);
    this.#forgetExpiredUndo();
    this.#undo.set(undoId, { profile: name, blocks: written.value.detail, until });
    const receipt = await this.#receipt(written.value);
    return ok({ ...receipt, undo: { undoId, profile: name, undoableUntil: until } });
  }

  /** Puts a deleted profile back where it was, if the deletion is recent enough. */
  async undoDelete(undoId: string): Promise<Result<ProfileWriteReceipt>> {
    this.#forgetExpiredUndo();
    const pending = this.#undo.get(undoId);
    if (pending === undefined) {
      return fail('not-found', 'It is too late to undo that deletion.');
    }
    const result = await this.#apply({
      kind: 'restore-deleted',
      profile: pending.profile,
      blocks: pending.blocks,
    });
    if (result.ok) {
      this.#undo.delete(undoId);
    }
    return result;
  }

  /** A block the app does not manage, with the values of secret-looking keys masked. */
  async preservedBlock(index: number): Promise<Result<PreservedBlockText>> {
    const reading = await readProfilesFile(this.#options.path);
    const block =
      reading.document === null
        ? undefined
        : viewDocument(reading.document).preserved[index];
    const exact = block && reading.document?.segments[block.segmentIndex]?.text;
    if (block === undefined || exact === undefined) {
      return fail('not-found', 'That block is no longer in the file.');
    }
    return ok({
      index,
      text: maskSecretValues(block.text),
      fingerprint: fingerprintOf(exact),
    });
  }

  /** Deletes the block that was shown, identified by its fingerprint. */
  async deletePreservedBlock(
    index: number,
    fingerprint: string,
  ): Promise<Result<ProfileWriteReceipt>> {
    const reading = await readProfilesFile(this.#options.path);
    const segments = reading.document?.segments ?? [];
    const exact = segments.find(
      (segment) =>
        segment.reading.kind === 'raw' && fingerprintOf(segment.text) === fingerprint,
    )?.text;
    if (exact === undefined) {
      return fail(
        'not-found',
        'That block is no longer in the file; another program may have changed it.',
      );
    }
    return this.#apply({ kind: 'delete-preserved-block', text: exact, nearIndex: index });
  }

  async listHistory(): Promise<Result<HistoryEntry[]>> {
    return ok(await this.#options.history.list());
  }

  /** Writes a kept version back as the whole file; the version it replaces is kept in turn. */
  async restoreVersion(id: string): Promise<Result<ProfileWriteReceipt>> {
    const version = await this.#options.history.read(id);
    if (version === null) {
      return fail('not-found', 'That version is no longer kept.');
    }
    const text = decodeUtf8AsPython(version.bytes);
    if (text === null) {
      return fail(
        'file-unreadable',
        'That version is not UTF-8 text, so it cannot be restored.',
      );
    }
    // As the History view writes dates; naming the time alone keeps a restore
    // of a restore from nesting one description in another.
    const when = new Date(version.entry.replacedAt).toLocaleString('en-US', {
      dateStyle: 'medium',
      timeStyle: 'medium',
    });
    const written = await replaceProfilesFile(
      this.#options.path,
      text,
      `Restored the file as it was on ${when}`,
      this.#writeOptions(),
    );
    return written.ok ? ok(await this.#receipt(written.value)) : written;
  }

  async #apply(patch: ProfilePatch): Promise<Result<ProfileWriteReceipt>> {
    const written = await applyPatchToFile(
      this.#options.path,
      patch,
      this.#writeOptions(),
    );
    return written.ok ? ok(await this.#receipt(written.value)) : written;
  }

  async #receipt(outcome: WriteOutcome<unknown>): Promise<ProfileWriteReceipt> {
    // LIMITATION: if another program writes within the moment between this
    // save and the reading below, its change is described together with the
    // app's own; the file itself is right either way.
    const snapshot = await this.#options.profiles.reload();
    return { description: outcome.description, snapshot };
  }

  #writeOptions(): WriteOptions {
    const { clock, log, history, lock, guard, profiles } = this.#options;
    return {
      clock,
      log,
      history,
      ...(lock === undefined ? {} : { lock }),
      ...(guard === undefined ? {} : { guard }),
      onWillWrite: (text) => profiles.noteOwnWrite(text),
    };
  }

  #forgetExpiredUndo(): void {
    const now = this.#options.clock.now();
    for (const [id, pending] of this.#undo) {
      if (pending.until < now) {
        this.#undo.delete(id);
      }
    }
  }
}

/** Identifies a block's exact text without carrying it. */
export function fingerprintOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Keys whose values say what a block is and hold no secret: shown as they are. */
const plainKeys = new Set<string>([
  ...profileKeys.filter((key) => key !== 'TOKEN' && key !== 'REFRESH_TOKEN'),
  'USERNAME',
  'IS_DOOVER2',
]);

/** A secret-looking name, then `=`, `:` or a space, then a value: the value is hidden. */
const secretAssignment =
  /^([^=:\s]*(?:token|password|passwd|secret|key)[^=:\s]*\s*(?:[=:]\s*|\s+))\S.*$/i;

/** A long run of token characters with letters and digits: a token wrapped onto its own line, say. */
const tokenShaped = /[A-Za-z0-9_~+/=.-]{16,}/g;

const hidden = '••••••••';

/**
 * The block's lines with anything secret hidden: the value under a
 * secret-looking name (whatever the block's format), and any token-shaped run
 * of characters elsewhere. A block the app does not manage can hold anything,
 * so only the plain keys Doover's tools use are shown as they are.
 */
function maskSecretValues(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (plainKeys.has(line.slice(0, line.indexOf('=')))) {
        return line;
      }
      const secret = secretAssignment.exec(line);
      if (secret !== null) {
        return `${secret[1] ?? ''}${hidden}`;
      }
      return line.replace(tokenShaped, (run) =>
        /\d/.test(run) && /[A-Za-z]/.test(run) ? hidden : run,
      );
    })
    .join('\n');
}
