import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountIdFor,
  defaultAuthServer,
  findOrphanAccounts,
  normalizeAuthServer,
  parseAccountId,
  sameIdentity,
} from './account-id.js';

const awkward = fc.string({
  unit: fc.constantFrom(
    '@',
    '%',
    '4',
    '0',
    '2',
    '5',
    '[',
    ']',
    '=',
    '.',
    ' ',
    '"',
    'é',
    '😀',
    'a',
  ),
  minLength: 1,
  maxLength: 10,
});
const name = fc.oneof(
  awkward,
  fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }),
);
const server = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.webUrl(),
  awkward,
  fc.constantFrom('https://u:p@auth.example.com/a@b/', 'https://AUTH.doover.com:443//'),
);

describe('account ids', () => {
  it('parse back to the identity they were built from, whatever the name', () => {
    fc.assert(
      fc.property(name, server, (profileName, authServer) => {
        const parsed = parseAccountId(accountIdFor({ name: profileName, authServer }));

        expect(parsed).toEqual({
          name: profileName,
          authServer: normalizeAuthServer(authServer),
        });
      }),
      { numRuns: 500 },
    );
  });

  it('read naturally for ordinary profiles', () => {
    expect(accountIdFor({ name: 'default', authServer: null })).toBe(
      'default@https://auth.doover.com',
    );
    expect(
      accountIdFor({ name: 'me@work', authServer: 'https://auth.staging.udoover.com/' }),
    ).toBe('me@work@https://auth.staging.udoover.com');
  });

  it('treat spellings of one server as the same identity', () => {
    expect(normalizeAuthServer('  ')).toBe(defaultAuthServer);
    expect(normalizeAuthServer('https://user:pw@AUTH.Doover.com:443/?q=1#x')).toBe(
      defaultAuthServer,
    );
    expect(
      sameIdentity(
        { name: 'a', authServer: null },
        { name: 'a', authServer: 'https://auth.doover.com/' },
      ),
    ).toBe(true);
    expect(
      sameIdentity({ name: 'a', authServer: null }, { name: 'A', authServer: null }),
    ).toBe(false);
  });

  it('reject accounts that are not ids', () => {
    expect(parseAccountId('no separator')).toBeNull();
    expect(parseAccountId('@https://auth.doover.com')).toBeNull();
    expect(parseAccountId('name@')).toBeNull();
  });
});

describe('findOrphanAccounts', () => {
  it('lists entries of deleted, renamed and re-pointed profiles', () => {
    const kept = { name: 'default', authServer: null };
    const repointed = { name: 'staging', authServer: 'https://auth.staging.udoover.com' };
    const accounts = [
      accountIdFor(kept),
      accountIdFor({ name: 'deleted', authServer: null }),
      accountIdFor({ name: 'staging', authServer: null }),
      accountIdFor(repointed),
      'not an id',
      'probe',
    ];

    expect(
      findOrphanAccounts(accounts, [kept, repointed], (account) => account === 'probe'),
    ).toEqual([
      'deleted@https://auth.doover.com',
      'staging@https://auth.doover.com',
      'not an id',
    ]);
  });
});
