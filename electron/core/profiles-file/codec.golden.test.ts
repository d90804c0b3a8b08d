import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseProfilesFile,
  pydooverReadError,
  serializeProfilesFile,
  viewDocument,
  type ProfileRecord,
} from './codec.js';
import { dumpAsPydoover } from './pydoover-format.js';

/**
 * Golden tests: every file in the team's fixtures, with what the real pydoover
 * made of it (the profiles it saw, the blocks it kept, the text it writes back,
 * or the exception it raised).
 */
const fixturesDir = resolve(import.meta.dirname, '../../../../shared/fixtures/pydoover');

interface PydooverOutcome {
  ok: boolean;
  error?: string;
  profiles?: Array<Record<string, string | number | null>>;
  rawBlocks?: string[];
  dump?: string;
}

const cases = readdirSync(fixturesDir)
  .filter((file) => file.endsWith('.conf'))
  .map((file) => ({
    name: file,
    text: readFileSync(join(fixturesDir, file), 'utf8'),
    expected: JSON.parse(
      readFileSync(join(fixturesDir, file.replace(/\.conf$/, '.pydoover.json')), 'utf8'),
    ) as PydooverOutcome,
  }));

function asPydooverSeesIt(record: ProfileRecord) {
  const field = (key: string) => {
    const value = record.values.get(key) ?? '';
    return value === '' ? null : value;
  };
  return {
    name: record.name,
    token: field('TOKEN'),
    tokenExpires: record.tokenExpires?.ok ? record.tokenExpires.seconds : null,
    agentId: field('AGENT_ID'),
    baseUrl: field('BASE_URL'),
    refreshToken: field('REFRESH_TOKEN'),
    refreshTokenId: field('REFRESH_TOKEN_ID'),
    dataBaseUrl: field('BASE_DATA_URL'),
    authServerUrl: field('AUTH_SERVER_URL'),
    authServerClientId: field('AUTH_SERVER_CLIENT_ID'),
  };
}

describe('reading the profiles file as pydoover does', () => {
  it('has fixtures to compare against', () => {
    expect(cases.length).toBeGreaterThanOrEqual(16);
  });

  describe.each(cases)('$name', ({ text, expected }) => {
    const document = parseProfilesFile(text);
    const view = viewDocument(document);

    it('writes back every byte it read', () => {
      expect(serializeProfilesFile(document)).toBe(text);
    });

    if (!expected.ok) {
      it('finds the same error pydoover raises, and still lists every profile', () => {
        expect(pydooverReadError(document)).toBe(expected.error);
        expect(view.profiles.length).toBeGreaterThan(0);
      });
      return;
    }

    it('sees the same profiles in the same order with the same values', () => {
      expect(pydooverReadError(document)).toBeNull();
      expect(view.profiles.map(asPydooverSeesIt)).toEqual(expected.profiles);
    });

    it('keeps the same blocks verbatim', () => {
      expect(view.preserved.map((block) => block.text)).toEqual(expected.rawBlocks);
    });

    it('would write back the same text pydoover writes', () => {
      expect(dumpAsPydoover(document)).toBe(expected.dump);
    });
  });
});
