import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProfilesFile, viewDocument } from './codec.js';
import { embeddedHeaders, separateEmbeddedProfiles } from './joined-profiles.js';
import { applyPatch, type ProfilePatch } from './patch.js';
import { summarizeProfile } from './summarize.js';

const fixturesDir = resolve(import.meta.dirname, '../../../../shared/fixtures/pydoover');
const referenceReader = resolve(
  import.meta.dirname,
  '../../../e2e/support/pydoover-reference.py',
);
const joinedFixture = readFileSync(
  resolve(fixturesDir, '14-no-blank-line-between-profiles.conf'),
  'utf8',
);

/** The new text of a patch that must succeed. */
function textAfter(text: string, patch: ProfilePatch): string {
  const outcome = applyPatch(parseProfilesFile(text), patch);
  expect(outcome.ok && outcome.value.description).toBeTruthy();
  return outcome.ok ? outcome.value.text : '';
}

const outcomeOf = (text: string, patch: ProfilePatch) =>
  applyPatch(parseProfilesFile(text), patch);

/** Each profile's TOKEN as the Python reference reader sees the text. */
function pythonTokens(text: string): Record<string, string | null> {
  const output = execFileSync('python3', [referenceReader], {
    input: JSON.stringify([text]),
  });
  const [reading] = JSON.parse(output.toString()) as Array<{
    profiles: Array<{ name: string; TOKEN: string | null }>;
  }>;
  return Object.fromEntries(
    (reading?.profiles ?? []).map((profile) => [profile.name, profile.TOKEN]),
  );
}

const crlfFile =
  '[profile=first]\r\nTOKEN=f\r\n\r\n' +
  '[profile=a]\r\nTOKEN=1\r\nAGENT_ID=7\r\n[profile=b]\r\nTOKEN=2\r\n  [profile=c]  \r\nTOKEN=3\r\n' +
  '\r\n[profile=last]\r\nTOKEN=l\r\n';

describe('separating profiles that run into one another', () => {
  it('inserts one blank line before the second header of fixture 14, and nothing else', () => {
    expect(pythonTokens(joinedFixture)).toEqual({ a: '2' });

    const outcome = outcomeOf(joinedFixture, { kind: 'separate-joined', profile: 'a' });
    const text = '[profile=a]\nTOKEN=1\n\n[profile=b]\nTOKEN=2\n';

    expect(outcome).toMatchObject({
      ok: true,
      value: { text, description: "Separated profile 'b' from profile 'a'" },
    });
    expect(pythonTokens(text)).toEqual({ a: '1', b: '2' });
  });

  it('keeps CRLF line endings and every byte outside the block', () => {
    const outcome = outcomeOf(crlfFile, { kind: 'separate-joined', profile: 'a' });
    const text = textAfter(crlfFile, { kind: 'separate-joined', profile: 'a' });

    expect(text).toBe(
      '[profile=first]\r\nTOKEN=f\r\n\r\n' +
        '[profile=a]\r\nTOKEN=1\r\nAGENT_ID=7\r\n\r\n[profile=b]\r\nTOKEN=2\r\n\r\n  [profile=c]  \r\nTOKEN=3\r\n' +
        '\r\n[profile=last]\r\nTOKEN=l\r\n',
    );
    expect(outcome).toMatchObject({
      value: { description: "Separated profiles 'b' and 'c' from profile 'a'" },
    });
    expect(pythonTokens(text)).toEqual({ first: 'f', a: '1', b: '2', c: '3', last: 'l' });
    const { profiles } = viewDocument(parseProfilesFile(text));
    expect(profiles.map((record) => record.name)).toEqual([
      'first',
      'a',
      'b',
      'c',
      'last',
    ]);
  });

  it('makes a blank line pydoover sees after a lone CR or a rarer line break', () => {
    expect(separateEmbeddedProfiles('[profile=a]\rX=1\r[profile=b]\rY=2')).toBe(
      '[profile=a]\rX=1\r\r[profile=b]\rY=2',
    );
    expect(separateEmbeddedProfiles('[profile=a]\nX=1\f[profile=b]\nY=2')).toBe(
      '[profile=a]\nX=1\f\n\n[profile=b]\nY=2',
    );
    expect(pythonTokens('[profile=a]\nTOKEN=1\f\n\n[profile=b]\nTOKEN=2')).toEqual({
      a: '1',
      b: '2',
    });
  });

  it('finds only header lines after the first, as pydoover would split them', () => {
    expect(
      embeddedHeaders('[profile=a]\nX=[profile=b]\n[profile=]\n[profile=c]'),
    ).toEqual([{ name: 'c', lineStart: 37, breakBefore: '\n' }]);
    expect(embeddedHeaders('[profile=a]\nTOKEN=1')).toEqual([]);
  });

  it('refuses a profile with nothing inside it, or none at all', () => {
    expect(outcomeOf(crlfFile, { kind: 'separate-joined', profile: 'first' })).toEqual({
      ok: false,
      error: {
        code: 'bad-request',
        message:
          "No other profile starts inside profile 'first', so there is nothing to separate.",
      },
    });
    expect(outcomeOf(crlfFile, { kind: 'separate-joined', profile: 'b' })).toMatchObject({
      error: { code: 'not-found' },
    });
  });
});

describe('a profile other profiles run into', () => {
  it('is not rewritten, copied, renamed, repaired or deleted before it is separated', () => {
    const refusals: Array<[ProfilePatch, string]> = [
      [{ kind: 'update', profile: 'a', fields: { AGENT_ID: 'x' } }, 'edit'],
      [{ kind: 'rename', profile: 'a', newName: 'z' }, 'rename'],
      [{ kind: 'duplicate', profile: 'a', newName: 'z' }, 'copy'],
      [{ kind: 'delete', profile: 'a' }, 'delete'],
      [{ kind: 'repair-expiry', profile: 'a', repair: 'clear' }, 'repair'],
      [{ kind: 'create', profile: 'a', fields: {}, replace: true }, 'replace it'],
      [{ kind: 'rename', profile: 'first', newName: 'a', replace: true }, 'replace it'],
      [
        { kind: 'duplicate', profile: 'first', newName: 'a', replace: true },
        'replace it',
      ],
    ];

    for (const [patch, then] of refusals) {
      expect(outcomeOf(crlfFile, patch)).toEqual({
        ok: false,
        error: {
          code: 'bad-request',
          message:
            "Profiles 'b' and 'c' start inside profile 'a' with no blank line before " +
            'them, so Doover’s tools read them all as one profile. Separate them ' +
            `first, then ${then}.`,
        },
      });
    }
  });

  it('hides its inner profiles from creating: the real one would stay hidden', () => {
    for (const patch of [
      { kind: 'create', profile: 'b', fields: { TOKEN: 'new' } },
      { kind: 'update', profile: 'b', fields: {}, createIfMissing: true },
      { kind: 'rename', profile: 'first', newName: 'c' },
      { kind: 'duplicate', profile: 'last', newName: 'b' },
    ] satisfies ProfilePatch[]) {
      const outcome = outcomeOf(crlfFile, patch);
      expect(outcome.ok ? null : outcome.error.message).toMatch(
        /^Profile '[bc]' starts inside profile 'a' with no blank line before it, so Doover’s tools do not see it\. Separate them first; '[bc]' then becomes a profile of its own\.$/,
      );
    }
  });

  it('lists its inner profiles and the problem in its summary', () => {
    const document = parseProfilesFile(crlfFile);
    const [first, a] = viewDocument(document).profiles.map((record) =>
      summarizeProfile(record, document),
    );

    expect(first?.joinedProfiles).toEqual([]);
    expect(a?.joinedProfiles).toEqual(['b', 'c']);
    expect(a?.problems[0]?.message).toBe(
      "The profiles 'b' and 'c' have no blank line before them, so Doover's tools read " +
        'them as part of this profile and do not see them. Separate them before ' +
        'editing, renaming, copying or deleting this profile.',
    );
  });
});

describe('a profile that exists only as a damaged block', () => {
  const cutShort =
    '[profile=staging]\nTOKEN=s\n\n[profile=default]\nTOKEN=secret-token-value\nRE';

  it('is not created again beside the damaged one, even as a replacement', () => {
    const patches: ProfilePatch[] = [
      { kind: 'create', profile: 'default', fields: { AGENT_ID: 'w' } },
      { kind: 'create', profile: 'default', fields: {}, replace: true },
      {
        kind: 'update',
        profile: 'default',
        fields: { AGENT_ID: 'w' },
        createIfMissing: true,
      },
      { kind: 'rename', profile: 'staging', newName: 'default', replace: true },
      { kind: 'duplicate', profile: 'staging', newName: 'default' },
    ];

    for (const patch of patches) {
      expect(outcomeOf(cutShort, patch)).toEqual({
        ok: false,
        error: {
          code: 'bad-request',
          message:
            "The file holds a damaged entry for 'default', which Doover’s tools skip. " +
            'Line 3 has no “=”, so it is not read as a profile. Mend it before making a ' +
            'new one: view or delete it under “entries this app does not manage”, or ' +
            'restore an earlier version of the file from History.',
        },
      });
    }
  });

  it('counts a block hidden by a byte-order mark, but not a Doover 1 sign-in', () => {
    const bom = '\ufeff[profile=bom]\nTOKEN=t\n';
    expect(outcomeOf(bom, { kind: 'create', profile: 'bom', fields: {} })).toMatchObject({
      error: {
        message: expect.stringMatching(
          /^The file holds a damaged entry for 'bom', which Doover’s tools skip\. It starts with an invisible byte-order mark/,
        ),
      },
    });

    const doover1 = '[profile=old]\nUSERNAME=u\nPASSWORD=p\n';
    expect(
      outcomeOf(doover1, { kind: 'create', profile: 'old', fields: {} }),
    ).toMatchObject({
      ok: true,
      value: { description: "Created profile 'old'" },
    });
  });
});
