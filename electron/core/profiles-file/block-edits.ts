import { profileKeys } from '../../../shared/profile-types.js';
import type { ProfilesDocument } from './codec.js';
import { formatProfileBlock } from './pydoover-format.js';

/**
 * Edits at the level of blocks, each touching as few bytes as it can: a
 * rewritten block replaces only its own text, a removed block takes only its
 * own text and the line breaks after it, and an inserted block adds only the
 * line breaks it needs to stand apart from its neighbours.
 */

export interface Piece {
  text: string;
  separator: string;
}

/** A copy of the document's blocks that edits may change in place. */
export function piecesOf(document: ProfilesDocument): Piece[] {
  return document.segments.map(({ text, separator }) => ({ text, separator }));
}

export function joinPieces(pieces: readonly Piece[]): string {
  return pieces.map((piece) => piece.text + piece.separator).join('');
}

/** The text before the block at `index`: where a block inserted there begins. */
export function offsetOfPiece(pieces: readonly Piece[], index: number): number {
  return joinPieces(pieces.slice(0, index)).length;
}

/**
 * Removes a block and the line breaks after it. When it was the last block, the
 * one before it keeps a single line break, so the file still ends with one.
 */
export function removePiece(pieces: Piece[], index: number): void {
  const isLast = index === pieces.length - 1;
  pieces.splice(index, 1);
  const previous = pieces[index - 1];
  if (isLast && previous !== undefined) {
    previous.separator = /^(?:\r\n|\r|\n)/.exec(previous.separator)?.[0] ?? '';
  }
}

/** Line breaks a restored block had around it, to use where they still fit. */
export interface SurroundingBreaks {
  before?: string;
  after?: string;
}

/**
 * Inserts a block at `offset` (a block boundary, or the end of the text), with
 * a blank line before and after it wherever a neighbour would otherwise run
 * into it. A block being put back gets the line breaks it had, where they are
 * a blank line.
 */
export function insertBlock(
  text: string,
  offset: number,
  block: string,
  lineEnding: string,
  breaks: SurroundingBreaks = {},
): string {
  let before = text.slice(0, offset);
  const after = text.slice(offset);
  let leading = before === '' ? '' : breaksToReach(before, 2, lineEnding);
  if (leading !== '' && isBlankLine(breaks.before)) {
    before = before.replace(/[\r\n]+$/, '');
    leading = breaks.before ?? '';
  }
  let trailing = breaksToReach(block, after === '' ? 1 : 2, lineEnding);
  if (after !== '' && trailingBreakCount(block) === 0 && isBlankLine(breaks.after)) {
    trailing = breaks.after ?? '';
  }

  return before + leading + block + trailing + after;
}

function isBlankLine(separator: string | undefined): boolean {
  return separator !== undefined && trailingBreakCount(separator) >= 2;
}

/** The line breaks to add after `text` so it ends with at least `count` of them. */
function breaksToReach(text: string, count: number, lineEnding: string): string {
  let added = '';
  // A lone "\r" followed by "\n" is one break, not two, so count again each time.
  while (trailingBreakCount(text + added) < count) {
    added += lineEnding;
  }
  return added;
}

/** How many line breaks end the text, "\r\n" counting as one, as Python reads them. */
export function trailingBreakCount(text: string): number {
  let end = text.length;
  let count = 0;
  while (end > 0) {
    if (text.endsWith('\r\n', end)) {
      end -= 2;
    } else if (text[end - 1] === '\n' || text[end - 1] === '\r') {
      end -= 1;
    } else {
      break;
    }
    count += 1;
  }
  return count;
}

/**
 * The line ending a new or rewritten block should use: "\r\n" where the text it
 * joins uses it (as Python writes on Windows), else pydoover's "\n".
 */
export function lineEndingOf(text: string): string {
  return /\r\n|\r|\n/.exec(text)?.[0] === '\r\n' ? '\r\n' : '\n';
}

const knownKeys = new Set<string>(profileKeys);

/**
 * A profile block in pydoover's form, followed by the keys pydoover does not
 * know that the block already had (kept in their order, after the nine).
 */
export function profileBlockText(
  name: string,
  values: ReadonlyMap<string, string>,
  extraEntries: ReadonlyArray<readonly [string, string]>,
  lineEnding: string,
): string {
  let block = formatProfileBlock(name, values);
  for (const [key, value] of extraEntries) {
    if (!knownKeys.has(key)) {
      block += `${key}=${value}\n`;
    }
  }
  return lineEnding === '\n' ? block : block.replaceAll('\n', lineEnding);
}
