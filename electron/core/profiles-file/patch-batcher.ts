import { fail, ok, type Result } from '../../../shared/result.js';
import { parseProfilesFile } from './codec.js';
import type { ProfilePatch, RemovedBlock } from './patch.js';
import {
  editProfilesFile,
  patchCurrentFile,
  type CurrentFile,
  type FileEdit,
  type WriteOptions,
  type WriteOutcome,
} from './write-profiles-file.js';

/** What one submitted patch came to. */
export type BatchedPatchResult = Result<WriteOutcome<RemovedBlock[]>>;

interface PendingPatch {
  patch: ProfilePatch;
  settle: (result: BatchedPatchResult) => void;
}

/** Each patch's own edit, and the edit of them all together. */
interface AppliedInOrder {
  combined: Result<FileEdit<null>>;
  each: Array<Result<FileEdit<RemovedBlock[]>>>;
}

/**
 * Saves patches to one profiles file, one write at a time: patches submitted
 * while a write is under way are applied together in the next single write,
 * in the order they came, through the same lock, atomic replace and checks as
 * every other write. Each submitter is told its own outcome; a patch that is
 * refused fails alone and the others still land.
 */
export class PatchBatcher {
  readonly #path: string;
  readonly #options: WriteOptions;
  #queued: PendingPatch[] = [];
  #writing = false;

  constructor(path: string, options: WriteOptions) {
    this.#path = path;
    this.#options = options;
  }

  /** Saves the patch, together with any others waiting for the next write. */
  submit(patch: ProfilePatch): Promise<BatchedPatchResult> {
    return new Promise((settle) => {
      this.#queued.push({ patch, settle });
      if (!this.#writing) {
        void this.#drain();
      }
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    // Patches submitted in the same turn as the first join its write.
    await Promise.resolve();
    try {
      while (this.#queued.length > 0) {
        await this.#write(this.#queued.splice(0));
      }
    } finally {
      this.#writing = false;
    }
  }

  async #write(batch: PendingPatch[]): Promise<void> {
    let each: AppliedInOrder['each'] = [];
    let written: Result<WriteOutcome<null>>;
    try {
      written = await editProfilesFile(this.#path, this.#options, (current) => {
        const applied = applyInOrder(
          current,
          batch.map((pending) => pending.patch),
        );
        each = applied.each;
        return applied.combined;
      });
    } catch (error) {
      this.#options.log.warn({ err: error }, 'could not apply the batched changes');
      written = fail('internal', 'The change could not be saved. Try again.');
    }

    batch.forEach((pending, index) => pending.settle(outcomeOf(written, each[index])));
  }
}

/**
 * Applies the patches one after another, each to the text the previous one
 * left (parsed again, so every patch sees the file as it would be on disk).
 */
function applyInOrder(current: CurrentFile, patches: ProfilePatch[]): AppliedInOrder {
  let file = current;
  const each: AppliedInOrder['each'] = [];
  const descriptions: string[] = [];
  for (const patch of patches) {
    const edit = patchCurrentFile(file, patch);
    each.push(edit);
    if (edit.ok) {
      descriptions.push(edit.value.description);
      const { text } = edit.value;
      file = { bytes: file.bytes, text, document: parseProfilesFile(text) };
    }
  }

  const refused = each.find((edit) => !edit.ok);
  if (descriptions.length === 0 && refused !== undefined && !refused.ok) {
    // Nothing to write: every submitter hears its own refusal.
    return { combined: refused, each };
  }

  return {
    combined: ok({
      text: file.text ?? '',
      description: descriptions.join('; '),
      detail: null,
    }),
    each,
  };
}

/** A submitter's outcome: its own refusal, the write's failure, or the write with its own words. */
function outcomeOf(
  written: Result<WriteOutcome<null>>,
  own: Result<FileEdit<RemovedBlock[]>> | undefined,
): BatchedPatchResult {
  if (own !== undefined && !own.ok) {
    return own;
  }
  if (!written.ok) {
    return written;
  }
  if (own === undefined) {
    return fail('internal', 'The change could not be saved. Try again.');
  }

  return ok({
    ...written.value,
    description: own.value.description,
    detail: own.value.detail,
  });
}
