import { describe, expect, it } from 'vitest';
import { filterProfiles } from './profile-filter';
import { makeProfile } from './testing/sample-snapshot';

const profiles = [
  makeProfile({ name: 'Default' }),
  makeProfile({ name: 'lab', baseUrl: 'http://10.0.0.5:8000', dataBaseUrl: 'not a url' }),
  makeProfile({ name: 'bare', baseUrl: null, dataBaseUrl: null, authServerUrl: null }),
];

describe('filterProfiles', () => {
  it('returns the same list for an empty or blank query', () => {
    expect(filterProfiles(profiles, '')).toBe(profiles);
    expect(filterProfiles(profiles, '   ')).toBe(profiles);
  });

  it('matches names without regard to case', () => {
    expect(filterProfiles(profiles, 'default').map((p) => p.name)).toEqual(['Default']);
  });

  it('matches hosts with their port, and skips values that are not URLs', () => {
    expect(filterProfiles(profiles, '10.0.0.5:80').map((p) => p.name)).toEqual(['lab']);
    expect(filterProfiles(profiles, 'not a url')).toEqual([]);
  });

  it('keeps file order', () => {
    expect(filterProfiles(profiles, 'l').map((p) => p.name)).toEqual(['Default', 'lab']);
  });
});
