import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileKeys } from '../../../shared/profile-types.js';
import { parseProfilesFile, viewDocument, type ProfileRecord } from './codec.js';
import { jwtExpiry } from './expiry.js';
import { joinedProfileNames } from './joined-profiles.js';
import { applyPatch, type ProfilePatch } from './patch.js';

/**
 * Every kind of patch on every fixture: the bytes outside the changed block
 * stay as they were, and a real Python reading of the result (the reference
 * reader, with Python's own string and float rules) sees what was intended.
 */
const fixturesDir = resolve(import.meta.dirname, '../../../../shared/fixtures/pydoover');
const referenceReader = resolve(
  import.meta.dirname,
  '../../../e2e/support/pydoover-reference.py',
);

type Fields = Record<string, string | number | null>;
type Intent = { profiles: Map<string, Fields>; rawBlocks: string[] };

interface Case {
  fixture: string;
  patch: ProfilePatch;
  original: string;
  result: string;
  /** [start, end) of the original text the patch may change; the rest stays. */
  changedRegion: [number, number];
  intent: Intent;
}

const newFields = { BASE_URL: 'https://api.example.test', TOKEN_EXPIRES: 1767225600.5 };

function pythonReadings(texts: string[]): Array<Record<string, unknown>> {
  const output = execFileSync('python3', [referenceReader], {
    input: JSON.stringify(texts),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output.toString()) as Array<Record<string, unknown>>;
}

/** A profile as the reference reader reports it, from the app's own reading. */
function fieldsOf(record: ProfileRecord): Fields {
  const fields: Fields = { name: record.name };
  for (const key of profileKeys) {
    fields[key] =
      (record.values.get(key) ?? '') === '' ? null : (record.values.get(key) ?? null);
  }
  const expiry = record.tokenExpires;
  fields.TOKEN_EXPIRES =
    expiry === null ? null : expiry.ok ? expiry.seconds : 'unreadable';
  return fields;
}

/** Where a segment starts, where its text ends, and where its line breaks end. */
function segmentBounds(text: string, segmentIndex: number): [number, number, number] {
  const { segments } = parseProfilesFile(text);
  const start = segments
    .slice(0, segmentIndex)
    .reduce((length, each) => length + each.text.length + each.separator.length, 0);
  const segment = segments[segmentIndex];
  const textEnd = start + (segment?.text.length ?? 0);
  return [start, textEnd, textEnd + (segment?.separator.length ?? 0)];
}

function casesFor(fixture: string, original: string): Case[] {
  const document = parseProfilesFile(original);
  const view = viewDocument(document);
  const baseProfiles = new Map(
    view.profiles.map((record) => [record.name, fieldsOf(record)]),
  );
  const rawBlocks = view.preserved.map((block) => block.text);
  const intent = (change: (profiles: Map<string, Fields>) => void, raw = rawBlocks) => {
    const profiles = new Map(
      [...baseProfiles].map(([name, fields]) => [name, { ...fields }]),
    );
    change(profiles);
    return { profiles, rawBlocks: raw };
  };
  const cases: Case[] = [];
  const add = (
    patch: ProfilePatch,
    changedRegion: [number, number],
    expected: Intent,
  ) => {
    const outcome = applyPatch(document, patch);
    if (!outcome.ok) {
      throw new Error(`${fixture}: ${patch.kind} failed: ${outcome.error.message}`);
    }
    cases.push({
      fixture,
      patch,
      original,
      result: outcome.value.text,
      changedRegion,
      intent: expected,
    });
  };

  add(
    { kind: 'create', profile: 'brand-new', fields: { TOKEN: 'tok', AGENT_ID: '42' } },
    [original.length, original.length],
    intent((profiles) =>
      profiles.set('brand-new', {
        ...emptyFields('brand-new'),
        TOKEN: 'tok',
        AGENT_ID: '42',
      }),
    ),
  );

  const target = view.profiles[0];
  const joined = target && joinedProfileNames(document, target.segmentIndexes);
  if (target !== undefined && joined?.length) {
    addSeparateCase(fixture, target, original, add, intent);
  } else if (target !== undefined) {
    addTargetCases(target, original, add, intent);
  }
  const preserved = view.preserved[0];
  if (preserved !== undefined) {
    add(
      {
        kind: 'delete-preserved-block',
        text: document.segments[preserved.segmentIndex]?.text ?? '',
      },
      deletedRegion(original, preserved.segmentIndex, preserved.segmentIndex),
      intent(() => undefined, rawBlocks.slice(1)),
    );
  }
  return cases;
}

type Add = (patch: ProfilePatch, region: [number, number], expected: Intent) => void;
type MakeIntent = (change: (profiles: Map<string, Fields>) => void) => Intent;

function addTargetCases(
  target: ProfileRecord,
  original: string,
  add: Add,
  intent: MakeIntent,
) {
  const name = target.name;
  const last = target.segmentIndexes.at(-1) ?? 0;
  const first = target.segmentIndexes[0] ?? 0;
  const [lastStart, lastTextEnd] = segmentBounds(original, last);
  const [firstStart] = segmentBounds(original, first);
  const fields = fieldsOf(target);

  add(
    { kind: 'update', profile: name, fields: newFields },
    [lastStart, lastTextEnd],
    intent((profiles) => profiles.set(name, { ...fields, ...newFields })),
  );
  add(
    { kind: 'rename', profile: name, newName: 'renamed profile' },
    [firstStart, lastTextEnd],
    intent((profiles) => {
      profiles.delete(name);
      profiles.set('renamed profile', { ...fields, name: 'renamed profile' });
    }),
  );
  add(
    { kind: 'duplicate', profile: name, newName: `Copy of ${name}` },
    [original.length, original.length],
    intent((profiles) =>
      profiles.set(`Copy of ${name}`, { ...fields, name: `Copy of ${name}` }),
    ),
  );
  add(
    { kind: 'delete', profile: name },
    deletedRegion(original, first, last),
    intent((profiles) => profiles.delete(name)),
  );
  add(
    { kind: 'repair-expiry', profile: name, repair: 'clear' },
    [firstStart, lastTextEnd],
    intent((profiles) => profiles.set(name, { ...fields, TOKEN_EXPIRES: null })),
  );
  const exp = jwtExpiry(target.values.get('TOKEN') ?? '');
  if (exp !== null) {
    add(
      { kind: 'repair-expiry', profile: name, repair: 'from-token' },
      [firstStart, lastTextEnd],
      intent((profiles) => profiles.set(name, { ...fields, TOKEN_EXPIRES: exp })),
    );
  }
}

/**
 * What each profile of a fixture whose profiles run into one another holds
 * once they are separated: its own values, no longer the last one's.
 */
const separatedProfiles: Record<string, Fields[]> = {
  '14-no-blank-line-between-profiles.conf': [
    { ...emptyFields('a'), TOKEN: '1' },
    { ...emptyFields('b'), TOKEN: '2' },
  ],
};

function addSeparateCase(
  fixture: string,
  target: ProfileRecord,
  original: string,
  add: Add,
  intent: MakeIntent,
) {
  const [firstStart] = segmentBounds(original, target.segmentIndexes[0] ?? 0);
  const [, lastTextEnd] = segmentBounds(original, target.segmentIndexes.at(-1) ?? 0);
  const expected = separatedProfiles[fixture];
  if (expected === undefined) {
    throw new Error(`${fixture}: say what separating its profiles should give`);
  }
  add(
    { kind: 'separate-joined', profile: target.name },
    [firstStart, lastTextEnd],
    intent((profiles) => {
      for (const fields of expected) {
        profiles.set(String(fields.name), fields);
      }
    }),
  );
}

/** A deleted block takes its line breaks with it, or the ones before it when it was last. */
function deletedRegion(original: string, first: number, last: number): [number, number] {
  const [firstStart] = segmentBounds(original, first);
  const [, , end] = segmentBounds(original, last);
  const isLast = last === parseProfilesFile(original).segments.length - 1;
  if (!isLast || last === 0) {
    return [firstStart, end];
  }
  const [, previousTextEnd] = segmentBounds(original, last - 1);
  return [Math.min(firstStart, previousTextEnd), end];
}

function emptyFields(name: string): Fields {
  return Object.fromEntries([['name', name], ...profileKeys.map((key) => [key, null])]);
}

const cases = readdirSync(fixturesDir)
  .filter((file) => file.endsWith('.conf'))
  .flatMap((file) => casesFor(file, readFileSync(join(fixturesDir, file), 'utf8')));
const readings = pythonReadings(cases.map((each) => each.result));

function expectedReading(intent: Intent) {
  const profiles = [...intent.profiles.values()];
  if (profiles.some((fields) => fields.TOKEN_EXPIRES === 'unreadable')) {
    return { ok: false, error: 'ValueError' };
  }
  return { ok: true, profiles, rawBlocks: intent.rawBlocks };
}

/**
 * Profiles in name order, and raw blocks without their final line breaks: a
 * raw block that ended the file gives its last line break to the separator
 * once a block follows it, which changes no byte and nothing pydoover sees.
 */
function comparable(reading: Record<string, unknown>) {
  const profiles = reading.profiles as Fields[] | undefined;
  const rawBlocks = reading.rawBlocks as string[] | undefined;
  return profiles === undefined
    ? reading
    : {
        ...reading,
        rawBlocks: rawBlocks?.map((block) => block.replace(/\n+$/, '')),
        profiles: [...profiles].sort((a, b) =>
          String(a.name).localeCompare(String(b.name)),
        ),
      };
}

describe('patching each fixture', () => {
  it('covers every fixture and every kind of patch', () => {
    expect(new Set(cases.map((each) => each.fixture)).size).toBeGreaterThanOrEqual(16);
    expect(new Set(cases.map((each) => each.patch.kind))).toEqual(
      new Set([
        'create',
        'update',
        'rename',
        'duplicate',
        'delete',
        'repair-expiry',
        'delete-preserved-block',
        'separate-joined',
      ]),
    );
  });

  describe.each(
    cases.map((each, index) => ({
      ...each,
      index,
      label: `${each.fixture}: ${each.patch.kind}`,
    })),
  )('$label', ({ original, result, changedRegion, intent, index }) => {
    it('leaves every byte outside the changed block as it was', () => {
      const [start, end] = changedRegion;
      expect(result.slice(0, start)).toBe(original.slice(0, start));
      expect(result.endsWith(original.slice(end))).toBe(true);
    });

    it('reads back, by Python’s rules, as intended', () => {
      expect(comparable(readings[index] ?? {})).toEqual(
        comparable(expectedReading(intent)),
      );
    });
  });
});
