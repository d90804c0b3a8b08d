import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  profileKeys,
  type ExpiryRepair,
  type ProfileFieldChanges,
} from '../../../shared/profile-types.js';
import type { ErrorCode } from '../../../shared/result.js';
import {
  parseProfilesFile,
  pydooverReadError,
  viewDocument,
  type DocumentView,
  type ProfileRecord,
  type ProfilesDocument,
} from './codec.js';
import { jwtExpiry } from './expiry.js';
import { applyPatch, type ProfilePatch } from './patch.js';
import { formatPythonFloat, roundTripThroughDatetime } from './python-float.js';
import { pythonSplitLines, pythonStrip, toUniversalNewlines } from './python-text.js';

/**
 * Arbitrary files and arbitrary patches, checked against a simple model of
 * what each patch means: after applying, the file reads as exactly the
 * intended profiles and blocks, and every block the patch had no business
 * with is still there byte for byte.
 */

const jwt = 'eyJhbGciOiJub25lIn0.eyJleHAiOjE3OTYzMTY5MTR9.c2ln';
const existingNames = ['default', 'staging', 'a', 'a]b', 'my prof', ' x'];
const newNames = [
  'new',
  'hidden',
  'Copy of a',
  'é😀',
  ' lead',
  'trail ',
  'x\ny',
  'p\u2028q',
  '',
];
const values = ['', 'tok', jwt, '1767225600.5', '1e9', 'nan', '2026-01-01', 'a=b', ' s '];
const urls = ['', 'https://api.doover.com', 'http://127.0.0.1:8080/x', 'ftp://x', 'nope'];

const profileBlock = fc
  .record({
    name: fc.constantFrom(...existingNames),
    lines: fc.array(
      fc.oneof(
        fc
          .tuple(
            fc.constantFrom(...profileKeys, 'EXTRA', 'IS_DOOVER2', 'TOKEN '),
            fc.constantFrom(...values),
          )
          .map(([key, value]) => `${key}=${value}`),
        fc.constantFrom('[profile=hidden]'),
      ),
      { maxLength: 6 },
    ),
    lineEnding: fc.constantFrom('\n', '\r\n'),
    indent: fc.constantFrom('', ' '),
  })
  .map(
    ({ name, lines, lineEnding, indent }) =>
      `${indent}[profile=${name}]${lineEnding}${lines.join(lineEnding)}`,
  );

const otherBlock = fc.constantFrom(
  '# notes',
  '[profile=]\nTOKEN=1',
  '\ufeff[profile=bom]\nTOKEN=t',
  '[profile=old]\nUSERNAME=u\nPASSWORD=p',
  '[profile=c]\nno equals here',
  '  ',
);

const fileText = fc
  .record({
    blocks: fc.array(
      fc.tuple(
        fc.oneof(
          { weight: 3, arbitrary: profileBlock },
          { weight: 1, arbitrary: otherBlock },
        ),
        fc.constantFrom('\n\n', '\n\n\n', '\r\n\r\n', '\n', '\n \n', '\r\r'),
      ),
      { maxLength: 6 },
    ),
    ending: fc.constantFrom('', '\n', '\r\n', '\n\n', ' '),
  })
  .map(({ blocks, ending }) =>
    blocks
      .map(([block, separator], index) =>
        index === blocks.length - 1 ? block + ending : block + separator,
      )
      .join(''),
  );

const fieldChanges: fc.Arbitrary<ProfileFieldChanges> = fc.record(
  {
    TOKEN: fc.constantFrom('', 'new-token', jwt, 'two\nlines'),
    AGENT_ID: fc.constantFrom('', '42', 'x\u0085y'),
    BASE_URL: fc.constantFrom(...urls),
    AUTH_SERVER_URL: fc.constantFrom(...urls, ' https://a.b'),
    REFRESH_TOKEN: fc.constantFrom('', 'rt'),
    TOKEN_EXPIRES: fc.oneof(
      fc.constant(null),
      fc.double({ min: -1e11, max: 1e11, noNaN: true }),
      fc.constant(1e20),
    ),
  },
  { requiredKeys: [] },
);

const anyName = fc.constantFrom(...existingNames, ...newNames);
const replace = fc.boolean();

function patchFor(text: string): fc.Arbitrary<ProfilePatch> {
  const rawTexts = parseProfilesFile(text)
    .segments.filter((segment) => segment.reading.kind === 'raw')
    .map((segment) => segment.text);
  return fc.oneof(
    fc.record({
      kind: fc.constant('create'),
      profile: anyName,
      fields: fieldChanges,
      replace,
    }),
    fc.record({ kind: fc.constant('update'), profile: anyName, fields: fieldChanges }),
    fc.record({
      kind: fc.constant('rename'),
      profile: anyName,
      newName: anyName,
      replace,
    }),
    fc.record({
      kind: fc.constant('duplicate'),
      profile: anyName,
      newName: anyName,
      replace,
    }),
    fc.record({ kind: fc.constant('delete'), profile: anyName }),
    fc.record({
      kind: fc.constant('repair-expiry'),
      profile: anyName,
      repair: fc.constantFrom<ExpiryRepair>('clear', 'from-token'),
    }),
    fc.record({ kind: fc.constant('separate-joined'), profile: anyName }),
    fc.record({
      kind: fc.constant('delete-preserved-block'),
      text: fc.constantFrom(...rawTexts, 'not in the file'),
    }),
  );
}

// The model: each profile as the fields pydoover would see, by name.
type Fields = Record<string, string>;
type Expected =
  | { error: ErrorCode }
  | { profiles: Map<string, Fields>; preserved: string[]; touched: string[] };

function fieldsOf(record: ProfileRecord): Fields {
  const fields: Fields = Object.fromEntries(record.values);
  for (const key of profileKeys) {
    fields[key] = record.values.get(key) ?? '';
  }
  const expiry = record.tokenExpires;
  if (expiry?.ok === true) {
    fields.TOKEN_EXPIRES = formatPythonFloat(expiry.seconds);
  }
  return fields;
}

// eslint-disable-next-line no-control-regex -- these control characters are line breaks to Python
const lineBreak = /[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/;

function nameIsValid(name: string): boolean {
  return name !== '' && !lineBreak.test(name) && pythonStrip(name) === name;
}

/** The text fields a change sets (the generator never gives one as undefined). */
function textChanges(changes: ProfileFieldChanges): Fields {
  return Object.fromEntries(
    Object.entries(changes).filter(
      (entry): entry is [string, string] =>
        entry[0] !== 'TOKEN_EXPIRES' && typeof entry[1] === 'string',
    ),
  );
}

function fieldsAreValid(changes: ProfileFieldChanges): boolean {
  const seconds = changes.TOKEN_EXPIRES;
  const textOk = Object.entries(textChanges(changes)).every(
    ([key, value]) =>
      !lineBreak.test(value) && (!key.endsWith('_URL') || urlIsValid(value)),
  );
  return textOk && (seconds == null || roundTripThroughDatetime(seconds) !== null);
}

function urlIsValid(value: string): boolean {
  return value === '' || /^https?:\/\/[^\s]+$/.test(value);
}

function withChanges(fields: Fields, changes: ProfileFieldChanges): Fields {
  const seconds = changes.TOKEN_EXPIRES;
  const next: Fields = { ...fields, ...textChanges(changes) };
  if (seconds !== undefined) {
    next.TOKEN_EXPIRES =
      seconds === null ? '' : formatPythonFloat(roundTripThroughDatetime(seconds) ?? 0);
  }
  return next;
}

const headerLine = /^\[profile=(.+)\]$/s;

/** The header names on the lines of a block, first line included. */
function headerNames(blockText: string): Array<string | null> {
  return pythonSplitLines(toUniversalNewlines(blockText)).map(
    (line) => headerLine.exec(pythonStrip(line))?.[1] ?? null,
  );
}

/** Names of the profiles that start, with no blank line, inside a profile's blocks. */
function joinedInto(document: ProfilesDocument, name: string): string[] {
  return document.segments
    .filter(({ reading }) => reading.kind === 'profile' && reading.name === name)
    .flatMap(({ text }) => headerNames(text).slice(1))
    .filter((each) => each !== null);
}

/** A name pydoover cannot see: inside another profile, or heading a damaged kept block. */
function isHidden(document: ProfilesDocument, name: string): boolean {
  return document.segments.some(({ reading, text }) => {
    const names = headerNames(text.replace(/^\ufeff/, ''));
    if (reading.kind === 'profile') return names.slice(1).includes(name);
    return (
      reading.kind === 'raw' &&
      reading.reason.kind !== 'doover1-credentials' &&
      names[0] === name
    );
  });
}

const emptyFields = (): Fields =>
  Object.fromEntries(profileKeys.map((key) => [key, ''])) as Fields;

function expected(
  view: DocumentView,
  document: ProfilesDocument,
  patch: ProfilePatch,
): Expected {
  const profiles = new Map(
    view.profiles.map((record) => [record.name, fieldsOf(record)]),
  );
  const preserved = view.preserved.map((block) => block.text);
  const result = (touched: string[]): Expected => ({ profiles, preserved, touched });

  if (patch.kind === 'delete-preserved-block') {
    const index = view.preserved.findIndex(
      (block) => document.segments[block.segmentIndex]?.text === patch.text,
    );
    if (index < 0) return { error: 'not-found' };
    preserved.splice(index, 1);
    return result([]);
  }
  const current = profiles.get(patch.profile);
  // Names a patch gives a profile: readable, not hidden, free unless replacing
  // (and then not a profile others run into).
  const newNameError = (name: string, replace: boolean | undefined): Expected | null => {
    if (!nameIsValid(name) || isHidden(document, name)) return { error: 'bad-request' };
    if (!profiles.has(name)) return null;
    if (replace !== true) return { error: 'conflict' };
    return joinedInto(document, name).length > 0 ? { error: 'bad-request' } : null;
  };
  if (patch.kind === 'create') {
    const refused = newNameError(patch.profile, patch.replace);
    if (refused !== null) return refused;
    if (!fieldsAreValid(patch.fields)) return { error: 'bad-request' };
    profiles.set(patch.profile, withChanges(emptyFields(), patch.fields));
    return result([patch.profile]);
  }
  if (current === undefined) return { error: 'not-found' };
  const joined = joinedInto(document, patch.profile).length > 0;
  if (patch.kind === 'separate-joined') {
    return joined ? separated(document, patch.profile) : { error: 'bad-request' };
  }
  if (joined) return { error: 'bad-request' };

  switch (patch.kind) {
    case 'update':
      if (!fieldsAreValid(patch.fields)) return { error: 'bad-request' };
      profiles.set(patch.profile, withChanges(current, patch.fields));
      return result([patch.profile]);
    case 'rename':
    case 'duplicate': {
      if (patch.kind === 'rename' && patch.newName === patch.profile) return result([]);
      const refused = newNameError(patch.newName, patch.replace);
      if (refused !== null) return refused;
      if (patch.kind === 'rename') profiles.delete(patch.profile);
      profiles.set(patch.newName, { ...current });
      return result([patch.profile, patch.newName]);
    }
    case 'delete':
      profiles.delete(patch.profile);
      return result([patch.profile]);
    case 'repair-expiry': {
      const seconds = patch.repair === 'clear' ? null : jwtExpiry(current.TOKEN ?? '');
      if (seconds === null && patch.repair === 'from-token')
        return { error: 'bad-request' };
      profiles.set(patch.profile, withChanges(current, { TOKEN_EXPIRES: seconds }));
      return result([patch.profile]);
    }
    default:
      throw new Error(`no model for ${patch.kind}`);
  }
}

/** What pydoover reads once each profile inside `name`'s blocks has a blank line before it. */
function separated(document: ProfilesDocument, name: string): Expected {
  const text = document.segments
    .map(({ reading, text, separator }) => {
      if (reading.kind !== 'profile' || reading.name !== name) return text + separator;
      const lines = toUniversalNewlines(text).split('\n');
      const apart = lines.map((line, index) =>
        index > 0 && headerLine.test(pythonStrip(line)) ? `\n${line}` : line,
      );
      return apart.join('\n') + separator;
    })
    .join('');
  const view = viewDocument(parseProfilesFile(text));
  return {
    profiles: new Map(view.profiles.map((record) => [record.name, fieldsOf(record)])),
    preserved: view.preserved.map((block) => block.text),
    touched: [name],
  };
}

/** The segments a patch may change: those of the names it touches, and a deleted block. */
function touchedSegments(
  document: ProfilesDocument,
  patch: ProfilePatch,
  names: string[],
) {
  const touched = new Set<number>();
  document.segments.forEach((segment, index) => {
    const { reading } = segment;
    if (reading.kind === 'profile' && names.includes(reading.name)) touched.add(index);
    if (patch.kind === 'delete-preserved-block' && segment.text === patch.text)
      touched.add(index);
  });
  return touched;
}

function expectUntouchedBytesKept(
  original: ProfilesDocument,
  result: string,
  touched: Set<number>,
) {
  const firstTouched = Math.min(...touched, original.segments.length);
  const prefix = original.segments
    .slice(0, firstTouched)
    .map(
      (segment, index) =>
        segment.text + (index < firstTouched - 1 ? segment.separator : ''),
    )
    .join('');
  expect(result.startsWith(prefix)).toBe(true);

  let cursor = prefix.length;
  original.segments.forEach((segment, index) => {
    if (index < firstTouched || touched.has(index)) return;
    const found = result.indexOf(segment.text, cursor);
    expect(
      found,
      `segment ${index} ${JSON.stringify(segment.text)}`,
    ).toBeGreaterThanOrEqual(0);
    cursor = found + segment.text.length;
  });
}

const withoutFinalBreaks = (texts: string[]) =>
  texts.map((text) => text.replace(/\n+$/, ''));

describe('patches on arbitrary files', () => {
  it('give exactly the intended profiles and keep every untouched block’s bytes', () => {
    const scenario = fileText.chain((text) =>
      fc.tuple(fc.constant(text), patchFor(text)),
    );
    fc.assert(
      fc.property(scenario, ([text, patch]) => {
        const document = parseProfilesFile(text);
        const want = expected(viewDocument(document), document, patch);
        const outcome = applyPatch(document, patch);
        if ('error' in want) {
          expect(outcome.ok ? 'ok' : outcome.error.code).toBe(want.error);
          return;
        }
        if (!outcome.ok) throw new Error(outcome.error.message);

        const after = parseProfilesFile(outcome.value.text);
        const view = viewDocument(after);
        const profiles = new Map(
          view.profiles.map((record) => [record.name, fieldsOf(record)]),
        );
        expect(Object.fromEntries(profiles)).toEqual(Object.fromEntries(want.profiles));
        expect(withoutFinalBreaks(view.preserved.map((block) => block.text))).toEqual(
          withoutFinalBreaks(want.preserved),
        );
        if (pydooverReadError(document) === null) {
          expect(pydooverReadError(after)).toBeNull();
        }
        expectUntouchedBytesKept(
          document,
          outcome.value.text,
          touchedSegments(document, patch, want.touched),
        );
      }),
      { numRuns: 3000 },
    );
  });
});
