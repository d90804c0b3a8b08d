import { readTokenExpires, type ExpiryReading } from './python-float.js';
import {
  isPythonBlank,
  pythonSplitLines,
  pythonStrip,
  toUniversalNewlines,
} from './python-text.js';

/**
 * The profiles file (`~/.doover/config`) read exactly as pydoover reads it,
 * while keeping every original byte so the app can write back what it did not
 * change. The file is a list of segments: a block of text and the run of line
 * breaks that follows it; concatenating them gives the file back.
 */

export interface ProfilesDocument {
  segments: Segment[];
}

export interface Segment {
  /** The block exactly as it is in the file (original line endings). */
  text: string;
  /** The line breaks after the block ('' for the last one). */
  separator: string;
  reading: BlockReading;
}

export type BlockReading =
  | { kind: 'blank' }
  | { kind: 'raw'; reason: RawBlockReason }
  | { kind: 'profile'; name: string; entries: Array<[key: string, value: string]> };

export type RawBlockReason =
  | { kind: 'no-header'; startsWithByteOrderMark: boolean }
  | { kind: 'empty-name' }
  | { kind: 'line-without-equals'; lineNumber: number }
  | { kind: 'doover1-credentials' };

/** pydoover splits blocks at two or more line breaks (after universal newlines). */
const blockSeparator = /((?:\r\n|\r(?!\n)|\n){2,})/;
const profileHeader = /^\[profile=(.+)\]$/s;

export function parseProfilesFile(text: string): ProfilesDocument {
  const pieces = text.split(blockSeparator);
  const segments: Segment[] = [];
  for (let index = 0; index < pieces.length; index += 2) {
    const blockText = pieces[index] ?? '';
    segments.push({
      text: blockText,
      separator: pieces[index + 1] ?? '',
      reading: readBlock(toUniversalNewlines(blockText)),
    });
  }

  return { segments };
}

/** The file's text: every segment as it was read or last replaced. */
export function serializeProfilesFile(document: ProfilesDocument): string {
  return document.segments.map((segment) => segment.text + segment.separator).join('');
}

/** Classifies one block as pydoover does (`ConfigManager._parse_block`). */
export function readBlock(block: string): BlockReading {
  if (isPythonBlank(block)) {
    return { kind: 'blank' };
  }
  const [firstLine = '', ...otherLines] = pythonSplitLines(block);
  const header = profileHeader.exec(pythonStrip(firstLine));
  if (header === null) {
    return raw(headerProblem(firstLine));
  }

  const entries: Array<[string, string]> = [];
  let hasDoover1Credentials = false;
  let isDoover2 = false;
  for (const [index, line] of otherLines.entries()) {
    const equals = line.indexOf('=');
    if (equals < 0) {
      return raw({ kind: 'line-without-equals', lineNumber: index + 2 });
    }
    const key = line.slice(0, equals);
    const value = line.slice(equals + 1);
    entries.push([key, value]);
    hasDoover1Credentials ||= key === 'USERNAME' || key === 'PASSWORD';
    // The last IS_DOOVER2 line wins, as it does in pydoover's dict.
    isDoover2 = key === 'IS_DOOVER2' ? value === 'True' : isDoover2;
  }

  if (hasDoover1Credentials && !isDoover2) {
    return raw({ kind: 'doover1-credentials' });
  }
  return { kind: 'profile', name: header[1] ?? '', entries };
}

function raw(reason: RawBlockReason): BlockReading {
  return { kind: 'raw', reason };
}

function headerProblem(firstLine: string): RawBlockReason {
  const stripped = pythonStrip(firstLine);
  if (stripped === '[profile=]') {
    return { kind: 'empty-name' };
  }
  return { kind: 'no-header', startsWithByteOrderMark: stripped.startsWith('\ufeff') };
}

/** A profile as pydoover sees it: the last block of a name wins, at the first one's place. */
export interface ProfileRecord {
  name: string;
  /** Key/value pairs of the winning block, later duplicates of a key winning. */
  values: Map<string, string>;
  /** Indexes into `segments` of every block with this name, in file order. */
  segmentIndexes: number[];
  tokenExpires: ExpiryReading | null;
}

export interface PreservedRecord {
  segmentIndex: number;
  reason: RawBlockReason;
  /** The block after universal newlines, as pydoover keeps it. */
  text: string;
}

export interface DocumentView {
  profiles: ProfileRecord[];
  preserved: PreservedRecord[];
}

/** What pydoover's ConfigManager holds after reading the document. */
export function viewDocument(document: ProfilesDocument): DocumentView {
  const profiles = new Map<string, ProfileRecord>();
  const preserved: PreservedRecord[] = [];

  document.segments.forEach((segment, segmentIndex) => {
    const { reading } = segment;
    if (reading.kind === 'raw') {
      preserved.push({
        segmentIndex,
        reason: reading.reason,
        text: toUniversalNewlines(segment.text),
      });
    } else if (reading.kind === 'profile') {
      const earlier = profiles.get(reading.name);
      profiles.set(reading.name, {
        name: reading.name,
        values: new Map(reading.entries),
        segmentIndexes: [...(earlier?.segmentIndexes ?? []), segmentIndex],
        tokenExpires: readExpiryField(new Map(reading.entries)),
      });
    }
  });

  return { profiles: [...profiles.values()], preserved };
}

/** The names of the document's profiles, each once, in file order (quicker than a full view). */
export function profileNamesOf(document: ProfilesDocument): string[] {
  const names = new Set<string>();
  for (const { reading } of document.segments) {
    if (reading.kind === 'profile') {
      names.add(reading.name);
    }
  }
  return [...names];
}

function readExpiryField(values: Map<string, string>): ExpiryReading | null {
  const text = values.get('TOKEN_EXPIRES') ?? '';
  return text === '' ? null : readTokenExpires(text);
}

export interface PydooverReadFailure {
  /** The profile whose block stopped pydoover. */
  profile: string;
  /** The exception as Python prints it. */
  pythonError: string;
  /** Why, in plain words. */
  why: string;
}

/**
 * Why pydoover cannot read this document, or null when it can. pydoover stops
 * at the first block, in file order, whose TOKEN_EXPIRES it cannot read, even
 * one a later block of the same name would have replaced.
 */
export function pydooverReadFailure(
  document: ProfilesDocument,
): PydooverReadFailure | null {
  for (const { reading } of document.segments) {
    if (reading.kind !== 'profile') {
      continue;
    }
    const expiry = readExpiryField(new Map(reading.entries));
    if (expiry?.ok === false) {
      return { profile: reading.name, pythonError: expiry.pythonError, why: expiry.why };
    }
  }
  return null;
}

/** The exception pydoover raises on this document, as Python prints it, or null. */
export function pydooverReadError(document: ProfilesDocument): string | null {
  return pydooverReadFailure(document)?.pythonError ?? null;
}
