import type { ConfigSnapshot, ProfileSummary } from '../../shared/profile-types';

/** A fixed "now" for tests: 2026-01-03 13:50:00 UTC. */
export const TEST_NOW_MS = Date.UTC(2026, 0, 3, 13, 50, 0);
export const TEST_NOW_S = TEST_NOW_MS / 1000;

/** A production profile with a token valid for another hour, changed by `overrides`. */
export function makeProfile(overrides: Partial<ProfileSummary> = {}): ProfileSummary {
  return {
    name: 'default',
    tokenExpires: TEST_NOW_S + 3600,
    unreadableTokenExpires: null,
    expiresAt: TEST_NOW_S + 3600,
    expirySource: 'file',
    agentId: null,
    baseUrl: 'https://api.doover.com',
    dataBaseUrl: 'https://data.doover.com/api',
    authServerUrl: 'https://auth.doover.com',
    authServerClientId: '08a9ae8c-0668-428b-a691-f7eaa526aca0',
    refreshTokenId: 'rt-id-1',
    hasToken: true,
    hasRefreshToken: true,
    maskedToken: 'eyJh…Q5Zw',
    maskedRefreshToken: 'aBcD…wXyZ',
    environment: { kind: 'production', label: 'Production' },
    ignoredKeys: [],
    problems: [],
    joinedProfiles: [],
    ...overrides,
  };
}

/** A readable file holding `profiles`, changed by `overrides`. */
export function makeSnapshot(
  profiles: ProfileSummary[],
  overrides: Partial<ConfigSnapshot> = {},
): ConfigSnapshot {
  return {
    path: '/home/ada/.doover/config',
    file: { status: 'ok' },
    profiles,
    preservedBlocks: [],
    pydooverError: null,
    readAt: TEST_NOW_MS,
    ...overrides,
  };
}
