import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  test,
} from 'vitest';
import {
  startAuthServer,
  type AuthServer,
} from '../../../e2e/auth-server/auth-server.js';
import { systemClock } from '../app-services.js';
import { startDeviceSignIn } from './device-sign-in.js';
import { DiscoveryClient } from './discovery.js';
import type { TokenFields } from './issued-tokens.js';
import { ProfileRefresher, type StoredSignIn } from './profile-refresh.js';
import { NEEDS_SIGN_IN_MESSAGE, TokenRefresher } from './refresh.js';

let server: AuthServer;
let tempDir: string;
beforeAll(async () => {
  server = await startAuthServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'profile-refresh-'));
});
afterEach(async () => {
  server.faults.clear();
  await rm(tempDir, { recursive: true, force: true });
});

const http = { fetch, clock: systemClock };
const discovery = new DiscoveryClient(http);

/** Signs in through the real device flow, approving on the first wait. */
async function signIn(): Promise<StoredSignIn> {
  let showCode: (userCode: string) => void = () => {};
  const userCode = new Promise<string>((resolve) => {
    showCode = resolve;
  });
  let approved = false;
  const started = await startDeviceSignIn(
    { authServerUrl: server.url, clientId: server.clientId },
    {
      ...http,
      discovery,
      hostname: 'test-host',
      sleep: async () => {
        if (!approved) {
          approved = true;
          await server.approveDevice(await userCode);
        }
      },
    },
  );
  if (!started.ok) {
    throw new Error(started.failure.message);
  }
  showCode(started.value.code.userCode);
  const result = await started.value.result;
  if (!result.ok) {
    throw new Error(result.failure.message);
  }

  return {
    authServerUrl: server.url,
    clientId: server.clientId,
    refreshToken: result.value.fields.REFRESH_TOKEN,
    token: result.value.fields.TOKEN,
    expiresAt: result.value.fields.TOKEN_EXPIRES,
  };
}

/** Profiles kept in memory, standing in for the profiles file and the keychain. */
class ProfileStore {
  readonly profiles = new Map<string, StoredSignIn>();
  writes = 0;
  failNextWrite = false;

  read = async (profile: string): Promise<StoredSignIn | null> =>
    this.profiles.get(profile) ?? null;

  save = async (profile: string, fields: TokenFields): Promise<void> => {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('the disk is full');
    }
    const current = this.profiles.get(profile);
    if (current === undefined) {
      throw new Error('the profile is gone');
    }
    this.writes += 1;
    this.profiles.set(profile, {
      ...current,
      token: fields.TOKEN,
      expiresAt: fields.TOKEN_EXPIRES,
      refreshToken: fields.REFRESH_TOKEN ?? current.refreshToken,
    });
  };
}

function refresherFor(store: ProfileStore): ProfileRefresher {
  return new ProfileRefresher({
    refresher: new TokenRefresher({ ...http, discovery }),
    lock: { lockDir: join(tempDir, 'locks') },
    readSignIn: store.read,
    saveTokens: store.save,
    clock: systemClock,
  });
}

function refreshRequests(): number {
  return server.requests.filter(
    (request) =>
      request.endpoint === 'token' && request.form.grant_type === 'refresh_token',
  ).length;
}

describe('refreshing a stored profile', () => {
  test('ten concurrent callers make one request and one write', async () => {
    const store = new ProfileStore();
    store.profiles.set('default', await signIn());
    const oldRefreshToken = store.profiles.get('default')?.refreshToken;
    const profiles = refresherFor(store);
    const before = refreshRequests();

    const results = await Promise.all(
      Array.from({ length: 10 }, () => profiles.refresh('default')),
    );

    expect(refreshRequests() - before).toBe(1);
    expect(store.writes).toBe(1);
    expect(results.every((result) => result.ok && result.value.refreshed)).toBe(true);
    const stored = store.profiles.get('default');
    expect(stored?.refreshToken).not.toBe(oldRefreshToken);
    expect(results[0]).toMatchObject({ ok: true, value: { token: stored?.token } });
    // The stored, rotated sign-in still works.
    expect((await profiles.refresh('default')).ok).toBe(true);
  });

  test('keeps a token that stays valid long enough, and refreshes one that does not', async () => {
    const store = new ProfileStore();
    const signedIn = await signIn();
    store.profiles.set('default', signedIn);
    const profiles = refresherFor(store);
    const before = refreshRequests();

    const kept = await profiles.refresh('default', { unlessValidForSeconds: 60 });
    expect(kept).toEqual({
      ok: true,
      value: {
        token: signedIn.token,
        expiresAt: signedIn.expiresAt,
        refreshed: false,
        signedInAs: null,
      },
    });
    expect(refreshRequests()).toBe(before);

    store.profiles.set('default', { ...signedIn, expiresAt: Date.now() / 1000 + 30 });
    const renewed = await profiles.refresh('default', { unlessValidForSeconds: 60 });
    expect(renewed).toMatchObject({ ok: true, value: { refreshed: true } });
    expect(refreshRequests()).toBe(before + 1);
  });

  test('invalid_grant leaves the stored profile as it was', async () => {
    const store = new ProfileStore();
    const stale = { ...(await signIn()), refreshToken: 'revoked-long-ago' };
    store.profiles.set('default', stale);

    const result = await refresherFor(store).refresh('default');

    expect(result).toEqual({
      ok: false,
      failure: { kind: 'needs-sign-in', message: NEEDS_SIGN_IN_MESSAGE },
    });
    expect(store.profiles.get('default')).toEqual(stale);
    expect(store.writes).toBe(0);
  });

  test('a 500 leaves the stored profile as it was', async () => {
    const store = new ProfileStore();
    const signedIn = await signIn();
    store.profiles.set('default', signedIn);
    server.faults.next(
      'token',
      { kind: 'status', status: 500 },
      { grantType: 'refresh_token' },
    );

    const result = await refresherFor(store).refresh('default');

    expect(result).toMatchObject({ ok: false, failure: { kind: 'server-unavailable' } });
    expect(store.profiles.get('default')).toEqual(signedIn);
  });

  test('a failed write is reported, and trying again stores the same tokens without a new request', async () => {
    const store = new ProfileStore();
    const signedIn = await signIn();
    store.profiles.set('default', signedIn);
    store.failNextWrite = true;
    const profiles = refresherFor(store);

    const failed = await profiles.refresh('default');
    const before = refreshRequests();
    const retried = await profiles.refresh('default');

    expect(failed).toEqual({
      ok: false,
      failure: {
        kind: 'not-saved',
        message: 'The new token could not be stored: the disk is full',
      },
    });
    expect(retried).toMatchObject({ ok: true, value: { refreshed: true } });
    expect(refreshRequests()).toBe(before);
    expect(store.profiles.get('default')?.refreshToken).not.toBe(signedIn.refreshToken);
  });

  test('a profile that does not exist', async () => {
    expect(await refresherFor(new ProfileStore()).refresh('nobody')).toEqual({
      ok: false,
      failure: { kind: 'no-profile', message: 'There is no profile named "nobody".' },
    });
  });

  test('a profile without a refresh token whose token still works is kept', async () => {
    const store = new ProfileStore();
    store.profiles.set('pasted', {
      clientId: '',
      refreshToken: '',
      token: 'pasted-token',
      expiresAt: Date.now() / 1000 + 3600,
    });
    const profiles = refresherFor(store);

    expect(await profiles.refresh('pasted', { unlessValidForSeconds: 60 })).toMatchObject(
      {
        ok: true,
        value: { token: 'pasted-token', refreshed: false },
      },
    );
    expect(await profiles.refresh('pasted')).toMatchObject({
      ok: false,
      failure: { kind: 'cannot-refresh' },
    });
  });
});
