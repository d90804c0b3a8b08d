import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profileKeys } from '../../../shared/profile-types.js';
import {
  parseProfilesFile,
  pydooverReadError,
  serializeProfilesFile,
  viewDocument,
} from './codec.js';

/** Pieces that exercise every rule: odd line breaks, BOMs, Unicode spaces, floats. */
const awkwardPieces = [
  '\n',
  '\r\n',
  '\r',
  '\n\n',
  '\r\n\r\n',
  '\r\r\n',
  ' \n',
  '\t',
  '\ufeff',
  '\x0b',
  '\x0c',
  '\x1c',
  '\x1d',
  '\x1e',
  '\x85',
  '\u2028',
  '\u2029',
  '\u00a0',
  '\u3000',
  '=',
  '==',
  ']',
  '[profile=',
  '[profile=a]',
  '[profile=a]b]',
  '[profile=]',
  ' [profile=x] ',
  'TOKEN=',
  'TOKEN_EXPIRES=',
  '1767225600.5',
  '1_767_225_600',
  ' 1e9 ',
  'nan',
  'inf',
  '-1e400',
  '2026-01-01',
  '١٧٦٧٢٢٥٦٠٠',
  'USERNAME=',
  'PASSWORD=x',
  'IS_DOOVER2=True',
  'AGENT_ID=7',
  'é',
  '😀',
  '#',
  'x',
  'BASE_URL=https://api.doover.com',
];

const awkwardText = fc
  .array(fc.oneof(fc.constantFrom(...awkwardPieces), fc.string({ maxLength: 4 })), {
    maxLength: 40,
  })
  .map((pieces) => pieces.join(''));

const profileLikeText = fc
  .array(
    fc.record({
      name: fc.oneof(
        fc.constantFrom('default', 'a', 'a]b', 'my prof', ' x'),
        fc.string({ maxLength: 5 }),
      ),
      lines: fc.array(
        fc.oneof(
          fc
            .tuple(
              fc.constantFrom(...profileKeys, 'USERNAME', 'IS_DOOVER2', 'EXTRA'),
              awkwardText,
            )
            .map(([key, value]) => `${key}=${value}`),
          awkwardText,
        ),
        { maxLength: 6 },
      ),
      separator: fc.constantFrom('\n\n', '\n\n\n', '\r\n\r\n', '\n', '\n \n', '\r\r'),
    }),
    { maxLength: 5 },
  )
  .map((blocks) =>
    blocks
      .map(
        (block) =>
          [`[profile=${block.name}]`, ...block.lines].join('\n') + block.separator,
      )
      .join(''),
  );

const anyFileText = fc.oneof(
  awkwardText,
  profileLikeText,
  fc.string({ unit: 'grapheme', maxLength: 60 }),
);

describe('the profiles file codec', () => {
  it('writes back byte for byte whatever it read', () => {
    fc.assert(
      fc.property(anyFileText, (text) => {
        expect(serializeProfilesFile(parseProfilesFile(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with real Python string and float semantics on arbitrary files', () => {
    const texts = fc.sample(anyFileText, { numRuns: 1500, seed: 20261203 });
    const python = execFileSync(
      'python3',
      [resolve(import.meta.dirname, '../../../e2e/support/pydoover-reference.py')],
      {
        input: JSON.stringify(texts),
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const expected = JSON.parse(python.toString()) as Array<Record<string, unknown>>;

    texts.forEach((text, index) => {
      expect(ourOutcome(text), JSON.stringify(text)).toEqual(expected[index]);
    });
  });
});

function ourOutcome(text: string) {
  const document = parseProfilesFile(text);
  if (pydooverReadError(document) !== null) {
    return { ok: false, error: pydooverReadError(document)?.split(':')[0] };
  }
  const view = viewDocument(document);
  const profiles = view.profiles.map((profile) => {
    const fields: Record<string, string | number | null> = { name: profile.name };
    for (const key of profileKeys) {
      fields[key] =
        (profile.values.get(key) ?? '') === '' ? null : (profile.values.get(key) ?? null);
    }
    fields.TOKEN_EXPIRES = profile.tokenExpires?.ok ? profile.tokenExpires.seconds : null;
    return fields;
  });
  return { ok: true, profiles, rawBlocks: view.preserved.map((block) => block.text) };
}
