import type { ExpiryRepair, ProfileFieldChanges } from '../../../shared/profile-types.js';
import { profileKeys } from '../../../shared/profile-types.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import {
  insertBlock,
  joinPieces,
  lineEndingOf,
  offsetOfPiece,
  piecesOf,
  profileBlockText,
  removePiece,
  type Piece,
} from './block-edits.js';
import { parseProfilesFile, viewDocument, type ProfilesDocument } from './codec.js';
import { jwtExpiry } from './expiry.js';
import {
  damagedEntryOf,
  joinedProfileNames,
  profileHiding,
  separateEmbeddedProfiles,
  separateFirst,
} from './joined-profiles.js';
import { fieldChangesProblem, profileNameProblem } from './patch-validation.js';
import {
  formatPythonFloat,
  readTokenExpires,
  roundTripThroughDatetime,
} from './python-float.js';
import { describePreservedBlock, rawBlockReasonText } from './summarize.js';

/**
 * A change to the profiles file, described by intent rather than as a copy of
 * the file, so it can be applied to the file as it is on disk at the moment of
 * writing: a form that saves a URL must not undo a token refresh written by
 * the CLI in the meantime.
 *
 * When a name has several blocks, pydoover reads the values of the last one,
 * so that is the block edits rewrite; the earlier copies are left alone (they
 * change nothing pydoover sees, and pydoover drops them itself when it next
 * writes). They are removed only where keeping them would bring the old name
 * or a broken value back: on delete, on rename, and on repair when their
 * TOKEN_EXPIRES is the unreadable one.
 *
 * A profile that other profiles run into (no blank line between them) is not
 * rewritten, copied or removed until it is separated: pydoover reads it as
 * one profile, so any of these would mix their values or take the others
 * with it. Nor is a profile created over one pydoover cannot see.
 */
export type ProfilePatch =
  | { kind: 'create'; profile: string; fields: ProfileFieldChanges; replace?: boolean }
  | {
      kind: 'update';
      profile: string;
      fields: ProfileFieldChanges;
      createIfMissing?: boolean;
    }
  | { kind: 'rename'; profile: string; newName: string; replace?: boolean }
  | { kind: 'duplicate'; profile: string; newName: string; replace?: boolean }
  | { kind: 'delete'; profile: string }
  | { kind: 'restore-deleted'; profile: string; blocks: RemovedBlock[] }
  | { kind: 'delete-preserved-block'; text: string; nearIndex?: number }
  | { kind: 'repair-expiry'; profile: string; repair: ExpiryRepair }
  | { kind: 'separate-joined'; profile: string };

/** A block taken out of the file, with what is needed to put it back at its place. */
export interface RemovedBlock {
  /** The block's exact text and the line breaks that followed it. */
  text: string;
  separator: string;
  /** The line breaks that preceded it. */
  separatorBefore: string;
  /** Its index among the file's segments when it was removed. */
  segmentIndex: number;
  /** The text of the nearest non-blank block before it, or null when it came first. */
  previousText: string | null;
}

export interface PatchOutcome {
  /** The whole new file text. */
  text: string;
  /** What the patch did, in words. */
  description: string;
  removed: RemovedBlock[];
}

/** Applies a patch to a document (null for a file that does not exist yet). */
export function applyPatch(
  document: ProfilesDocument | null,
  patch: ProfilePatch,
): Result<PatchOutcome> {
  const target = new DocumentEdit(document ?? parseProfilesFile(''));
  switch (patch.kind) {
    case 'create':
      return createProfile(target, patch.profile, patch.fields, patch.replace === true);
    case 'update':
      return updateProfile(target, patch);
    case 'rename':
      return renameProfile(target, patch.profile, patch.newName, patch.replace === true);
    case 'duplicate':
      return duplicateProfile(
        target,
        patch.profile,
        patch.newName,
        patch.replace === true,
      );
    case 'delete':
      return deleteProfile(target, patch.profile);
    case 'restore-deleted':
      return restoreDeleted(target, patch.profile, patch.blocks);
    case 'delete-preserved-block':
      return deletePreservedBlock(target, patch.text, patch.nearIndex);
    case 'repair-expiry':
      return repairExpiry(target, patch.profile, patch.repair);
    case 'separate-joined':
      return separateJoined(target, patch.profile);
  }
}

/** A profile as pydoover reads it: its last block's values, and every block of its name. */
interface NamedProfile {
  name: string;
  values: Map<string, string>;
  segmentIndexes: number[];
}

/**
 * The profiles of a document by name. Unlike `viewDocument` it does not read
 * TOKEN_EXPIRES, which no patch needs, so a patch on a large file stays quick.
 */
function profilesByName(document: ProfilesDocument): Map<string, NamedProfile> {
  const profiles = new Map<string, NamedProfile>();
  document.segments.forEach(({ reading }, index) => {
    if (reading.kind === 'profile') {
      const earlier = profiles.get(reading.name)?.segmentIndexes ?? [];
      profiles.set(reading.name, {
        name: reading.name,
        values: new Map(reading.entries),
        segmentIndexes: [...earlier, index],
      });
    }
  });
  return profiles;
}

/** The document being patched, its profiles, and the edits made so far. */
class DocumentEdit {
  readonly document: ProfilesDocument;
  readonly pieces: Piece[];
  readonly #profiles: Map<string, NamedProfile>;
  readonly #removals = new Set<number>();

  constructor(document: ProfilesDocument) {
    this.document = document;
    this.pieces = piecesOf(document);
    this.#profiles = profilesByName(document);
  }

  profile(name: string): NamedProfile | undefined {
    return this.#profiles.get(name);
  }

  get lineEnding(): string {
    return lineEndingOf(joinPieces(this.pieces));
  }

  /**
   * Rewrites the last block of `record` (the one pydoover's values come from),
   * keeping that block's extra keys unless others are given.
   */
  rewriteProfile(
    record: NamedProfile,
    name: string,
    values: ReadonlyMap<string, string>,
    extraEntries?: ReadonlyArray<readonly [string, string]>,
  ): void {
    const index = lastBlockOf(record);
    const piece = this.pieces[index];
    if (piece !== undefined) {
      const entries = extraEntries ?? this.entriesAt(index);
      const block = profileBlockText(name, values, entries, lineEndingOf(piece.text));
      // A block followed by blank lines ends before its last line break (the
      // separator holds it); only a block that ended in one keeps one.
      piece.text = /[\r\n]$/.test(piece.text) ? block : block.replace(/\r?\n$/, '');
    }
  }

  /** The profiles that start inside the blocks of `record`, with no blank line before them. */
  joinedNames(record: NamedProfile): string[] {
    return joinedProfileNames(this.document, record.segmentIndexes);
  }

  /** Puts a blank line before each profile that starts inside the block at `index`. */
  separate(index: number): void {
    const piece = this.pieces[index];
    if (piece !== undefined) {
      piece.text = separateEmbeddedProfiles(piece.text);
    }
  }

  remove(indexes: readonly number[]): void {
    for (const index of indexes) {
      this.#removals.add(index);
    }
  }

  /** The new text: rewrites and removals done, then `append` added at the end. */
  finish(append: string | null = null): string {
    const pieces = this.pieces.slice();
    for (const index of [...this.#removals].sort((a, b) => b - a)) {
      removePiece(pieces, index);
    }
    const text = joinPieces(pieces);
    return append === null
      ? text
      : insertBlock(text, text.length, append, this.lineEnding);
  }

  /** The blocks marked for removal, as they are in the original document. */
  removedBlocks(): RemovedBlock[] {
    return [...this.#removals]
      .sort((a, b) => a - b)
      .map((index) => ({
        text: this.document.segments[index]?.text ?? '',
        separator: this.document.segments[index]?.separator ?? '',
        separatorBefore: this.document.segments[index - 1]?.separator ?? '',
        segmentIndex: index,
        previousText: this.#previousNonBlankText(index),
      }));
  }

  /** The key/value lines of the block at `index`, in file order. */
  entriesAt(index: number): Array<[string, string]> {
    const reading = this.document.segments[index]?.reading;
    return reading?.kind === 'profile' ? reading.entries : [];
  }

  #previousNonBlankText(index: number): string | null {
    for (let before = index - 1; before >= 0; before -= 1) {
      const segment = this.document.segments[before];
      if (segment !== undefined && segment.reading.kind !== 'blank') {
        return segment.text;
      }
    }
    return null;
  }
}

function lastBlockOf(record: NamedProfile): number {
  return record.segmentIndexes.at(-1) ?? -1;
}

function done(edit: DocumentEdit, description: string, append: string | null = null) {
  return ok<PatchOutcome>({
    text: edit.finish(append),
    description,
    removed: edit.removedBlocks(),
  });
}

function quoted(name: string): string {
  return `'${name}'`;
}

function notFound(name: string): Result<never> {
  return fail('not-found', `There is no profile named ${quoted(name)} in the file.`);
}

/**
 * Checks a new name: readable by pydoover, not the name of a profile pydoover
 * cannot see, and, unless replacing, not taken.
 */
function newNameProblem(
  edit: DocumentEdit,
  name: string,
  replace: boolean,
): Result<never> | null {
  const problem = profileNameProblem(name);
  if (problem !== null) {
    return fail('bad-request', problem);
  }
  const hidden = hiddenProfileRefusal(edit.document, name);
  if (hidden !== null) {
    return hidden;
  }
  const existing = edit.profile(name);
  if (!replace && existing !== undefined) {
    return fail(
      'conflict',
      `A profile named ${quoted(name)} already exists. Replace it, or choose another name.`,
    );
  }
  return joinedRefusal(edit, existing, 'replace it');
}

/**
 * Refuses to write a profile over one that pydoover skips, which would hide
 * the real one (and its token) behind an empty new profile.
 */
function hiddenProfileRefusal(
  document: ProfilesDocument,
  name: string,
): Result<never> | null {
  const damaged = damagedEntryOf(document, name);
  if (damaged !== null) {
    return fail(
      'bad-request',
      `The file holds a damaged entry for ${quoted(name)}, which Doover’s tools skip. ` +
        `${rawBlockReasonText(damaged)} Mend it before making a new one: view or ` +
        'delete it under “entries this app does not manage”, or restore an earlier ' +
        'version of the file from History.',
    );
  }
  const owner = profileHiding(document, name);
  if (owner !== null) {
    return fail(
      'bad-request',
      `Profile ${quoted(name)} starts inside profile ${quoted(owner)} with no blank ` +
        `line before it, so Doover’s tools do not see it. ${separateFirst}; ` +
        `${quoted(name)} then becomes a profile of its own.`,
    );
  }
  return null;
}

/** The profile `name` if it exists and no other profile runs into it, so it can be changed. */
function editableProfile(
  edit: DocumentEdit,
  name: string,
  then: string,
): Result<NamedProfile> {
  const record = edit.profile(name);
  if (record === undefined) {
    return notFound(name);
  }

  return joinedRefusal(edit, record, then) ?? ok(record);
}

/** Refuses to rewrite, copy or remove a profile that other profiles run into. */
function joinedRefusal(
  edit: DocumentEdit,
  record: NamedProfile | undefined,
  then: string,
): Result<never> | null {
  const joined = record === undefined ? [] : edit.joinedNames(record);
  if (record === undefined || joined.length === 0) {
    return null;
  }
  const names = listInWords(joined.map(quoted));
  const starts =
    joined.length === 1
      ? `Profile ${names} starts inside profile ${quoted(record.name)} with no blank line before it, so Doover’s tools read them as one profile.`
      : `Profiles ${names} start inside profile ${quoted(record.name)} with no blank line before them, so Doover’s tools read them all as one profile.`;
  return fail('bad-request', `${starts} ${separateFirst}, then ${then}.`);
}

/** The file text of each field change: TOKEN_EXPIRES as Python writes a float. */
function applyChanges(
  values: ReadonlyMap<string, string>,
  changes: ProfileFieldChanges,
): Map<string, string> {
  const next = new Map(values);
  for (const key of profileKeys) {
    if (key === 'TOKEN_EXPIRES') {
      const seconds = changes.TOKEN_EXPIRES;
      if (seconds !== undefined) {
        next.set(key, seconds === null ? '' : expiryText(seconds));
      }
      continue;
    }
    const value = changes[key];
    if (value !== undefined) {
      next.set(key, value);
    }
  }
  return next;
}

function expiryText(seconds: number): string {
  return formatPythonFloat(roundTripThroughDatetime(seconds) ?? seconds);
}

function createProfile(
  edit: DocumentEdit,
  name: string,
  fields: ProfileFieldChanges,
  replace: boolean,
): Result<PatchOutcome> {
  const refused = newNameProblem(edit, name, replace) ?? fieldsRefused(fields);
  if (refused !== null) {
    return refused;
  }
  const values = applyChanges(new Map(), fields);
  const verb = edit.profile(name) === undefined ? 'Created' : 'Replaced';
  return putProfile(edit, name, values, [], `${verb} profile ${quoted(name)}`);
}

/** Writes a whole profile: over its last block when it exists, else at the end. */
function putProfile(
  edit: DocumentEdit,
  name: string,
  values: ReadonlyMap<string, string>,
  extraEntries: ReadonlyArray<readonly [string, string]>,
  description: string,
): Result<PatchOutcome> {
  const existing = edit.profile(name);
  if (existing === undefined) {
    const block = profileBlockText(name, values, extraEntries, edit.lineEnding);
    return done(edit, description, block);
  }
  // A replacement carries its own extra keys, not those of the block it replaces.
  edit.rewriteProfile(existing, name, values, extraEntries);
  return done(edit, description);
}

function fieldsRefused(fields: ProfileFieldChanges): Result<never> | null {
  const problem = fieldChangesProblem(fields);
  return problem === null ? null : fail('bad-request', problem);
}

function updateProfile(
  edit: DocumentEdit,
  patch: Extract<ProfilePatch, { kind: 'update' }>,
): Result<PatchOutcome> {
  const record = edit.profile(patch.profile);
  if (record === undefined) {
    return patch.createIfMissing === true
      ? createProfile(edit, patch.profile, patch.fields, false)
      : notFound(patch.profile);
  }
  const refused = joinedRefusal(edit, record, 'edit') ?? fieldsRefused(patch.fields);
  if (refused !== null) {
    return refused;
  }

  const values = applyChanges(record.values, patch.fields);
  const changed = profileKeys.filter(
    (key) => (values.get(key) ?? '') !== (record.values.get(key) ?? ''),
  );
  edit.rewriteProfile(record, record.name, values);
  return done(edit, updateDescription(record.name, changed));
}

function updateDescription(name: string, changedKeys: readonly string[]): string {
  if (changedKeys.length === 0) {
    return `Saved profile ${quoted(name)} (no field changed)`;
  }
  return `Changed ${listInWords(changedKeys)} of profile ${quoted(name)}`;
}

/** "A", "A and B", "A, B and C". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

function renameProfile(
  edit: DocumentEdit,
  name: string,
  newName: string,
  replace: boolean,
): Result<PatchOutcome> {
  const editable = editableProfile(edit, name, 'rename');
  if (!editable.ok) {
    return editable;
  }
  const record = editable.value;
  if (newName === name) {
    return done(edit, `Kept the name of profile ${quoted(name)}`);
  }
  const refused = newNameProblem(edit, newName, replace);
  if (refused !== null) {
    return refused;
  }

  // Copies left under the old name would bring it back with their values, and
  // blocks of the replaced profile would hide the renamed one.
  edit.remove(record.segmentIndexes.slice(0, -1));
  edit.remove(edit.profile(newName)?.segmentIndexes ?? []);
  edit.rewriteProfile(record, newName, record.values);
  return done(edit, `Renamed profile ${quoted(name)} to ${quoted(newName)}`);
}

function duplicateProfile(
  edit: DocumentEdit,
  name: string,
  newName: string,
  replace: boolean,
): Result<PatchOutcome> {
  const editable = editableProfile(edit, name, 'copy');
  if (!editable.ok) {
    return editable;
  }
  const refused = newNameProblem(edit, newName, replace);
  if (refused !== null) {
    return refused;
  }
  const record = editable.value;

  const entries = edit.entriesAt(lastBlockOf(record));
  const description = `Copied profile ${quoted(name)} to ${quoted(newName)}`;
  return putProfile(edit, newName, record.values, entries, description);
}

function deleteProfile(edit: DocumentEdit, name: string): Result<PatchOutcome> {
  const editable = editableProfile(edit, name, 'delete');
  if (!editable.ok) {
    return editable;
  }
  edit.remove(editable.value.segmentIndexes);
  return done(edit, `Deleted profile ${quoted(name)}`);
}

/** Puts deleted blocks back where they were, or at the end when their place is gone. */
function restoreDeleted(
  edit: DocumentEdit,
  name: string,
  blocks: readonly RemovedBlock[],
): Result<PatchOutcome> {
  if (edit.profile(name) !== undefined) {
    return fail(
      'conflict',
      `A profile named ${quoted(name)} exists again, so the deleted one was not put back.`,
    );
  }

  let text = edit.finish();
  for (const block of [...blocks].sort((a, b) => a.segmentIndex - b.segmentIndex)) {
    const pieces = piecesOf(parseProfilesFile(text));
    const offset = offsetOfPiece(pieces, restorePosition(pieces, block));
    text = insertBlock(text, offset, block.text, lineEndingOf(text), {
      before: block.separatorBefore,
      after: block.separator,
    });
  }
  return ok({ text, description: `Put back profile ${quoted(name)}`, removed: [] });
}

/** Just after the block that preceded it (the copy nearest its old place), else the end. */
function restorePosition(pieces: readonly Piece[], block: RemovedBlock): number {
  if (block.previousText === null) {
    return 0;
  }
  const anchors = pieces
    .map((piece, index) => (piece.text === block.previousText ? index : -1))
    .filter((index) => index >= 0);
  const nearest = nearestTo(anchors, block.segmentIndex - 1);
  return nearest === undefined ? pieces.length : nearest + 1;
}

function nearestTo(candidates: readonly number[], target: number): number | undefined {
  return [...candidates].sort((a, b) => Math.abs(a - target) - Math.abs(b - target))[0];
}

function deletePreservedBlock(
  edit: DocumentEdit,
  text: string,
  nearIndex: number | undefined,
): Result<PatchOutcome> {
  const { preserved } = viewDocument(edit.document);
  const matching = preserved
    .map((block, preservedIndex) => ({ block, preservedIndex }))
    .filter(({ block }) => edit.document.segments[block.segmentIndex]?.text === text)
    .map(({ preservedIndex }) => preservedIndex);
  const nearest = preserved[nearestTo(matching, nearIndex ?? 0) ?? -1];
  if (nearest === undefined) {
    return fail(
      'not-found',
      'That block is no longer in the file; another program may have changed it.',
    );
  }

  edit.remove([nearest.segmentIndex]);
  const { label } = describePreservedBlock(nearest);
  return done(edit, `Deleted the block “${label}” that Doover’s tools do not read`);
}

function repairExpiry(
  edit: DocumentEdit,
  name: string,
  repair: ExpiryRepair,
): Result<PatchOutcome> {
  const editable = editableProfile(edit, name, 'repair');
  if (!editable.ok) {
    return editable;
  }
  const record = editable.value;
  const seconds = repair === 'clear' ? null : jwtExpiry(record.values.get('TOKEN') ?? '');
  if (seconds === null && repair === 'from-token') {
    return fail(
      'bad-request',
      `The token of ${quoted(name)} does not say when it expires, so TOKEN_EXPIRES can only be cleared.`,
    );
  }
  const refused = fieldsRefused({ TOKEN_EXPIRES: seconds });
  if (refused !== null) {
    return refused;
  }

  // pydoover stops at the first unreadable TOKEN_EXPIRES in the file, even in a
  // copy of the profile it would otherwise ignore.
  edit.remove(
    record.segmentIndexes
      .slice(0, -1)
      .filter((index) => hasUnreadableExpiry(edit, index)),
  );
  edit.rewriteProfile(
    record,
    name,
    applyChanges(record.values, { TOKEN_EXPIRES: seconds }),
  );
  return done(
    edit,
    seconds === null
      ? `Cleared the unreadable TOKEN_EXPIRES of profile ${quoted(name)}`
      : `Set TOKEN_EXPIRES of profile ${quoted(name)} from its token`,
  );
}

function hasUnreadableExpiry(edit: DocumentEdit, index: number): boolean {
  const text = new Map(edit.entriesAt(index)).get('TOKEN_EXPIRES') ?? '';
  return text !== '' && !readTokenExpires(text).ok;
}

/**
 * Inserts a blank line before each profile that starts inside `name`'s
 * blocks, and changes nothing else, so pydoover reads each with its own values.
 */
function separateJoined(edit: DocumentEdit, name: string): Result<PatchOutcome> {
  const record = edit.profile(name);
  if (record === undefined) {
    return notFound(name);
  }
  const joined = edit.joinedNames(record);
  if (joined.length === 0) {
    return fail(
      'bad-request',
      `No other profile starts inside profile ${quoted(name)}, so there is nothing to separate.`,
    );
  }
  for (const index of record.segmentIndexes) {
    edit.separate(index);
  }
  const names = listInWords(joined.map(quoted));
  return done(
    edit,
    `Separated ${joined.length === 1 ? 'profile' : 'profiles'} ${names} from profile ${quoted(name)}`,
  );
}
