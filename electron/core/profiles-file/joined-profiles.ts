import { lineEndingOf, trailingBreakCount } from './block-edits.js';
import type { ProfilesDocument, RawBlockReason } from './codec.js';
import { pythonSplitLines, pythonStrip, toUniversalNewlines } from './python-text.js';

/**
 * Profiles pydoover cannot see as they are. It splits blocks only at a blank
 * line, so a `[profile=b]` line right under profile `a`'s keys is read as the
 * key `[profile` of `a`, and `b` is not seen at all; and a block that starts
 * like a profile but has a line without '=' (a file cut short) is skipped
 * whole. Rewriting or creating such a profile would mix values or hide the
 * real one, so the app asks for them to be mended first.
 */

/** How every refusal about joined profiles says what to do, for callers to add their own way. */
export const separateFirst = 'Separate them first';

const profileHeader = /^\[profile=(.+)\]$/s;
/** Python's `str.splitlines()` breaks, `\r\n` counting as one, in the file's own bytes. */
// eslint-disable-next-line no-control-regex -- these control characters are line breaks to Python
const lineBreaks = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;
const realLineBreak = /^(?:\r\n|\r|\n)$/;

/** A `[profile=…]` line inside a block, which pydoover reads as a key. */
export interface EmbeddedHeader {
  /** The profile name that line would start, had a blank line come before it. */
  name: string;
  /** Where the line starts in the block's text. */
  lineStart: number;
  /** The line break just before it, as it is in the file. */
  breakBefore: string;
}

/** The `[profile=…]` lines of a block after its first line. */
export function embeddedHeaders(blockText: string): EmbeddedHeader[] {
  const found: EmbeddedHeader[] = [];
  // Such a line starts after a line break, so never at the very start.
  if (blockText.indexOf('[profile=', 1) < 0) {
    return found;
  }
  const check = (lineStart: number, lineEnd: number, breakBefore: string) => {
    const name = headerName(blockText.slice(lineStart, lineEnd));
    if (name !== null) {
      found.push({ name, lineStart, breakBefore });
    }
  };
  let lineStart = 0;
  let breakBefore: string | null = null;
  for (const match of blockText.matchAll(lineBreaks)) {
    if (breakBefore !== null) {
      check(lineStart, match.index, breakBefore);
    }
    breakBefore = match[0];
    lineStart = match.index + match[0].length;
  }
  if (breakBefore !== null && lineStart < blockText.length) {
    check(lineStart, blockText.length, breakBefore);
  }
  return found;
}

function headerName(line: string): string | null {
  return profileHeader.exec(pythonStrip(line))?.[1] ?? null;
}

/**
 * The block with a blank line before each `[profile=…]` line after its first,
 * in the line ending already there: nothing else changes, so pydoover then
 * reads each profile as the block it starts.
 */
export function separateEmbeddedProfiles(blockText: string): string {
  let result = '';
  let copied = 0;
  for (const { lineStart, breakBefore } of embeddedHeaders(blockText)) {
    result += blockText.slice(copied, lineStart);
    // Only "\r\n", "\r" and "\n" make a blank line for pydoover; after a rarer
    // break (a form feed, say) two of the block's own line endings are needed.
    const lineEnding = realLineBreak.test(breakBefore)
      ? breakBefore
      : lineEndingOf(blockText);
    while (trailingBreakCount(result) < 2) {
      result += lineEnding;
    }
    copied = lineStart;
  }
  return result + blockText.slice(copied);
}

/** The names of the profiles that start inside the blocks at these indexes, each once. */
export function joinedProfileNames(
  document: ProfilesDocument,
  segmentIndexes: readonly number[],
): string[] {
  const names = segmentIndexes.flatMap((index) =>
    embeddedHeaders(document.segments[index]?.text ?? '').map(({ name }) => name),
  );
  return [...new Set(names)];
}

/** The profile whose block `name` starts inside, or null when it starts no such line. */
export function profileHiding(document: ProfilesDocument, name: string): string | null {
  for (const { reading, text } of document.segments) {
    if (
      reading.kind === 'profile' &&
      embeddedHeaders(text).some((header) => header.name === name)
    ) {
      return reading.name;
    }
  }
  return null;
}

/**
 * Why pydoover skips a kept block that starts as profile `name`, or null when
 * there is none. Doover 1 sign-ins are not counted: they are whole, and
 * Doover's own tools add a Doover 2 profile of the same name beside them.
 */
export function damagedEntryOf(
  document: ProfilesDocument,
  name: string,
): RawBlockReason | null {
  for (const { reading, text } of document.segments) {
    if (
      reading.kind === 'raw' &&
      reading.reason.kind !== 'doover1-credentials' &&
      firstLineName(text) === name
    ) {
      return reading.reason;
    }
  }
  return null;
}

function firstLineName(blockText: string): string | null {
  const [firstLine = ''] = pythonSplitLines(toUniversalNewlines(blockText));
  return headerName(pythonStrip(firstLine).replace(/^\ufeff/, ''));
}
