import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  startAuthServer,
  type AuthServer,
  type AuthServerOptions,
} from '../../../e2e/auth-server/auth-server.js';
import { systemClock, type Clock } from '../app-services.js';
import { createLogger } from '../logger.js';
import type { AuthFailure, AuthResult } from './auth-failure.js';
import { startDeviceSignIn, type SignedIn } from './device-sign-in.js';
import { DiscoveryClient } from './discovery.js';
import {
  NEEDS_SIGN_IN_MESSAGE,
  SUCCESSION_MEMORY_MS,
  TokenRefresher,
  requestRefresh,
  type RefreshCredentials,
  type RefreshDeps,
} from './refresh.js';

const servers: AuthServer[] = [];
let server: AuthServer;

async function start(options: AuthServerOptions = {}): Promise<AuthServer> {
  const started = await startAuthServer(options);
  servers.push(started);

  return started;
}

beforeAll(async () => {
  server = await start();
});
afterAll(async () => {
  await Promise.all(servers.map((each) => each.close()));
});
afterEach(() => {
  server.faults.clear();
});

const logLines: string[] = [];
const log = createLogger({
  destination: { write: (line: string) => logLines.push(line) },
});

function deps(options: { clock?: Clock; timeoutMs?: number } = {}): RefreshDeps {
  const clock = options.clock ?? systemClock;
  const http = {
    fetch,
    clock,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };

  return { ...http, discovery: new DiscoveryClient(http), log };
}

/** Signs in through the real device flow, approving on the first wait. */
async function signIn(target: AuthServer, email = 'ada@example.com'): Promise<SignedIn> {
  let showCode: (userCode: string) => void = () => {};
  const userCode = new Promise<string>((resolve) => {
    showCode = resolve;
  });
  let approved = false;
  const started = await startDeviceSignIn(
    { authServerUrl: target.url, clientId: target.clientId },
    {
      ...deps(),
      hostname: 'test-host',
      sleep: async () => {
        if (!approved) {
          approved = true;
          await target.approveDevice(await userCode, { email });
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

  return result.value;
}

function credentials(target: AuthServer, refreshToken: string): RefreshCredentials {
  return { authServerUrl: target.url, clientId: target.clientId, refreshToken };
}

function refreshRequests(target: AuthServer) {
  return target.requests.filter(
    (request) =>
      request.endpoint === 'token' && request.form.grant_type === 'refresh_token',
  );
}

function failureOf<T>(result: AuthResult<T>): AuthFailure {
  if (result.ok) {
    throw new Error('expected a failure');
  }

  return result.failure;
}

describe('refreshing a user profile', () => {
  test('with rotation: new tokens, a new refresh token to store, expiry from exp', async () => {
    const signedIn = await signIn(server);
    const oldRefreshToken = signedIn.fields.REFRESH_TOKEN;

    const result = await requestRefresh(credentials(server, oldRefreshToken), deps());

    if (!result.ok) {
      throw new Error(result.failure.message);
    }
    const { fields } = result.value;
    expect(result.value.rotated).toBe(true);
    expect(fields.REFRESH_TOKEN).toEqual(expect.any(String));
    expect(fields.REFRESH_TOKEN).not.toBe(oldRefreshToken);
    expect(fields.REFRESH_TOKEN_ID).toMatch(/^[0-9a-f]{8}-/);
    expect(fields.REFRESH_TOKEN_ID).not.toBe(signedIn.fields.REFRESH_TOKEN_ID);
    expect(fields.TOKEN_EXPIRES).toBe(decodeJwt(fields.TOKEN).exp);
    expect(result.value.signedInAs).toBe('ada@example.com');
    expect(refreshRequests(server).at(-1)).toMatchObject({
      query: {},
      form: { grant_type: 'refresh_token', client_id: server.clientId },
    });

    const again = await requestRefresh(
      credentials(server, fields.REFRESH_TOKEN ?? ''),
      deps(),
    );
    expect(again.ok).toBe(true);
  });

  test('without rotation: the refresh token stays and nothing asks to store one', async () => {
    const steady = await start({ rotateRefreshTokens: false });
    const signedIn = await signIn(steady);
    const refreshToken = signedIn.fields.REFRESH_TOKEN;

    const first = await requestRefresh(credentials(steady, refreshToken), deps());
    const second = await requestRefresh(credentials(steady, refreshToken), deps());

    expect(first).toMatchObject({ ok: true, value: { rotated: false } });
    expect(second.ok).toBe(true);
    expect(first.ok && 'REFRESH_TOKEN' in first.value.fields).toBe(false);
  });

  test('invalid_grant means signing in again', async () => {
    const result = await requestRefresh(
      credentials(server, 'no-such-refresh-token'),
      deps(),
    );

    expect(failureOf(result)).toEqual({
      kind: 'needs-sign-in',
      message: NEEDS_SIGN_IN_MESSAGE,
    });
  });

  test('a profile without a refresh token or client id cannot renew itself', async () => {
    const before = server.requests.length;

    const noToken = await requestRefresh(credentials(server, ''), deps());
    const noClient = await requestRefresh(
      { ...credentials(server, 'x'), clientId: '' },
      deps(),
    );

    expect(failureOf(noToken)).toMatchObject({ kind: 'cannot-refresh' });
    expect(failureOf(noClient).message).toBe(
      'This profile has no client id (AUTH_SERVER_CLIENT_ID), so it cannot renew itself.',
    );
    expect(server.requests.length).toBe(before);
  });

  test('uses the usual token path when discovery answers with a web page', async () => {
    const signedIn = await signIn(server);
    server.faults.next('discovery', { kind: 'html', status: 200 });

    const result = await requestRefresh(
      credentials(server, signedIn.fields.REFRESH_TOKEN),
      deps(),
    );

    expect(result.ok).toBe(true);
    expect(refreshRequests(server).at(-1)?.path).toBe('/oauth2/token');
  });
});

describe('server trouble never looks like a lost sign-in', () => {
  test.each([
    [
      { kind: 'status', status: 500 } as const,
      'server-error',
      'Auth server unavailable: it answered HTTP 500.',
    ],
    [
      { kind: 'html', status: 502 } as const,
      'server-error',
      'Auth server unavailable: it answered HTTP 502 with a web page.',
    ],
    [
      { kind: 'html', status: 200 } as const,
      'html',
      'Auth server unavailable: it sent a web page instead of data (HTTP 200); a proxy or captive portal may be in the way.',
    ],
    [
      { kind: 'invalid-json' } as const,
      'invalid-json',
      'Auth server unavailable: its answer was not valid JSON (HTTP 200).',
    ],
  ])('%o', async (fault, reason, message) => {
    const signedIn = await signIn(server);
    const refreshToken = signedIn.fields.REFRESH_TOKEN;
    server.faults.next('token', fault, { grantType: 'refresh_token' });

    const failed = await requestRefresh(credentials(server, refreshToken), deps());

    expect(failureOf(failed)).toEqual({ kind: 'server-unavailable', reason, message });
    expect(failureOf(failed).message).not.toContain(refreshToken);
    // The fault answered before the provider saw the token: it still works.
    expect((await requestRefresh(credentials(server, refreshToken), deps())).ok).toBe(
      true,
    );
  });

  test('a timeout', async () => {
    server.faults.next(
      'token',
      { kind: 'delay', ms: 1500 },
      { grantType: 'refresh_token' },
    );

    const result = await requestRefresh(
      credentials(server, 'x'),
      deps({ timeoutMs: 300 }),
    );

    expect(failureOf(result)).toEqual({
      kind: 'server-unavailable',
      reason: 'timeout',
      message: 'Auth server unavailable: no answer within 0.3 s.',
    });
  });

  test('a server that cannot be reached', async () => {
    const gone = await startAuthServer();
    await gone.close();
    const before = gone.requests.length;

    const result = await requestRefresh(credentials(gone, 'x'), deps());

    expect(failureOf(result)).toMatchObject({
      kind: 'network',
      message: expect.stringContaining('the connection was refused'),
    });
    expect(gone.requests.length).toBe(before);
  });
});

describe('one refresh per sign-in at a time', () => {
  test('ten concurrent calls make one request and all get its result', async () => {
    const signedIn = await signIn(server);
    const refresher = new TokenRefresher(deps());
    const before = refreshRequests(server).length;

    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        refresher.refresh(credentials(server, signedIn.fields.REFRESH_TOKEN)),
      ),
    );

    expect(refreshRequests(server).length - before).toBe(1);
    const tokens = new Set(
      results.map((result) => result.ok && result.value.fields.TOKEN),
    );
    expect(tokens.size).toBe(1);
    expect(results.every((result) => result.ok)).toBe(true);
    // The sign-in survived: the rotated refresh token works.
    const rotated = results[0]?.ok ? results[0].value.fields.REFRESH_TOKEN : undefined;
    expect((await refresher.refresh(credentials(server, rotated ?? ''))).ok).toBe(true);
  });

  test('a late caller holding a used-up token never sends it again', async () => {
    let now = Date.now();
    const clock = { now: () => now };
    const refresher = new TokenRefresher(deps({ clock }));
    const signedIn = await signIn(server);
    const old = credentials(server, signedIn.fields.REFRESH_TOKEN);

    const first = await refresher.refresh(old);
    const before = refreshRequests(server).length;
    const late = await refresher.refresh(old);

    // While the new access token stays good, the late caller gets it too.
    expect(refreshRequests(server).length).toBe(before);
    expect(late).toEqual(first);

    // Once it is about to expire, the newest refresh token is used instead.
    now = ((first.ok && first.value.fields.TOKEN_EXPIRES) || 0) * 1000 - 30_000;
    const renewed = await refresher.refresh(old);
    if (!renewed.ok || !first.ok) {
      throw new Error('a refresh failed');
    }
    expect(refreshRequests(server).length).toBe(before + 1);
    expect(renewed.value.fields.REFRESH_TOKEN).not.toBe(first.value.fields.REFRESH_TOKEN);
    // The server's clock did not jump: back to it, and the renewed token is handed out.
    now = Date.now();
    expect(await refresher.refresh(old)).toEqual(renewed);
    const newest = credentials(server, renewed.value.fields.REFRESH_TOKEN ?? '');
    expect((await requestRefresh(newest, deps())).ok).toBe(true);
  });

  test('without the memory, a used-up token revokes the sign-in', async () => {
    let now = Date.now();
    const clock = { now: () => now };
    const refresher = new TokenRefresher(deps({ clock }));
    const signedIn = await signIn(server);
    const old = credentials(server, signedIn.fields.REFRESH_TOKEN);
    const first = await refresher.refresh(old);
    const rotated = first.ok ? (first.value.fields.REFRESH_TOKEN ?? '') : '';

    now += SUCCESSION_MEMORY_MS + 1;

    expect(failureOf(await refresher.refresh(old)).kind).toBe('needs-sign-in');
    expect(failureOf(await refresher.refresh(credentials(server, rotated))).kind).toBe(
      'needs-sign-in',
    );
  });

  test('a caller that stops waiting does not stop the shared request', async () => {
    const signedIn = await signIn(server);
    const refresher = new TokenRefresher(deps());
    const controller = new AbortController();
    server.faults.next(
      'token',
      { kind: 'delay', ms: 200 },
      { grantType: 'refresh_token' },
    );

    const impatient = refresher.refresh(
      credentials(server, signedIn.fields.REFRESH_TOKEN),
      controller.signal,
    );
    const patient = refresher.refresh(credentials(server, signedIn.fields.REFRESH_TOKEN));
    controller.abort();

    expect(failureOf(await impatient)).toEqual({
      kind: 'cancelled',
      message: 'The refresh was cancelled.',
    });
    expect((await patient).ok).toBe(true);
  });
});

test('no log line holds a token', () => {
  expect(logLines.length).toBeGreaterThan(0);
  expect(logLines.join('\n')).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
});
