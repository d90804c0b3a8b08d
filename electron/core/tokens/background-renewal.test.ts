import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  startAuthServer,
  type AuthServer,
} from '../../../e2e/auth-server/auth-server.js';
import type { RefreshLogEntry, RefreshLogResult } from '../../../shared/token-types.js';
import { startTestApp, valueIn, type TestApp } from './testing-app.js';

/**
 * Background renewal through the app's services with 5-second access tokens:
 * every profile's token in the file stays valid, every renewal succeeds, and
 * no refresh token is used twice (with rotation a reuse would be refused and
 * revoke the sign-in, so every refresh answered 200 shows there was none).
 */

let server: AuthServer;
let app: TestApp;
beforeAll(async () => {
  server = await startAuthServer({ accessTokenTtl: 5, pollIntervalSeconds: 1 });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await app?.close();
});

const profiles = ['p1', 'p2', 'p3', 'p4', 'p5'];
const runMs = 20_000;

async function signIn(name: string): Promise<void> {
  const done = app.progress((p) => p.profile === name && p.state === 'signed-in');
  const started = await app.services.handlers.startSignIn({
    profile: name,
    environment: 'custom',
    custom: {
      authServerUrl: server.url,
      baseUrl: server.url,
      dataBaseUrl: server.dataApiUrl,
      clientId: server.clientId,
    },
  });
  if (!started.ok) throw new Error(started.error.message);
  await server.approveDevice(started.value.userCode);
  await done;
}

it(
  'keeps five 5-second tokens valid in the file for 20 s',
  async () => {
    app = await startTestApp();
    for (const name of profiles) await signIn(name);
    const firstRefresh = server.requests.length;
    const expiredSeen: string[] = [];

    const end = Date.now() + runMs;
    while (Date.now() < end) {
      const config = await app.readConfig();
      const now = Date.now() / 1000;
      for (const name of profiles) {
        const expires = Number(valueIn(config, name, 'TOKEN_EXPIRES'));
        if (!(expires > now)) expiredSeen.push(`${name} at ${now}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const refreshes = server.requests
      .slice(firstRefresh)
      .filter((r) => r.form.grant_type === 'refresh_token');
    expect(expiredSeen).toEqual([]);
    expect(refreshes.length).toBeGreaterThanOrEqual(profiles.length * 4);
    // A renewal still under way when sampling stops has no answer yet.
    const answered = refreshes.filter((r) => r.status !== undefined);
    expect(answered.filter((r) => r.status !== 200)).toEqual([]);
    const states = await app.services.handlers.getRenewalStates({});
    expect(
      states.ok && Object.values(states.value.profiles).map((s) => s.kind),
    ).not.toContain('retrying');
  },
  runMs + 30_000,
);

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('stopping waits for a renewal under way to store its tokens', async () => {
  app = await startTestApp();
  await signIn('p1');
  const before = valueIn(await app.readConfig(), 'p1', 'TOKEN');
  const sentBefore = server.requests.length;
  server.faults.next(
    'token',
    { kind: 'delay', ms: 1_500 },
    { grantType: 'refresh_token' },
  );
  let settled = false;
  const renewing = app.services.handlers
    .refreshToken({ profile: 'p1' })
    .finally(() => (settled = true));
  await until(
    () =>
      server.requests
        .slice(sentBefore)
        .some((request) => request.form.grant_type === 'refresh_token'),
    10_000,
  );

  await app.services.stop();

  expect(settled).toBe(true);
  expect((await renewing).ok).toBe(true);
  const config = await app.readConfig();
  expect(valueIn(config, 'p1', 'TOKEN')).not.toBe(before);
  expect(Number(valueIn(config, 'p1', 'TOKEN_EXPIRES'))).toBeGreaterThan(
    Date.now() / 1000,
  );
  // Nothing half-written is left beside the file.
  expect(await readdir(dirname(app.configPath))).toEqual(['config']);
}, 30_000);

it('renews at once, after a network change, a profile that waits out a failing server', async () => {
  let address = '192.168.1.20';
  app = await startTestApp(undefined, {
    network: {
      interfaces: () => ({
        wlan0: [
          {
            address,
            netmask: '255.255.255.0',
            family: 'IPv4',
            mac: '00:00:00:00:00:00',
            internal: false,
            cidr: null,
          },
        ],
      }),
      intervalMs: 100,
    },
  });
  server.faults.always(
    'token',
    { kind: 'status', status: 500 },
    { grantType: 'refresh_token' },
  );
  await signIn('p1');
  const renewal = async () => {
    const states = await app.services.handlers.getRenewalStates({});
    return states.ok ? states.value.profiles.p1?.kind : undefined;
  };
  await until(() => app.events.some((event) => isLogged(event, 'failed')), 20_000);
  expect(await renewal()).toBe('retrying');

  server.faults.clear();
  address = '10.0.0.7';
  await until(() => app.events.some((event) => isLogged(event, 'renewed')), 20_000);

  const renewed = app.events.find((event) => isLogged(event, 'renewed'));
  expect((renewed?.payload as RefreshLogEntry).trigger).toBe('wake');
  expect(app.logLines.some((line) => line.includes('the network changed'))).toBe(true);
}, 45_000);

function isLogged(event: TestApp['events'][number], result: RefreshLogResult): boolean {
  return (
    event.name === 'onRefreshLogEntry' &&
    (event.payload as RefreshLogEntry).profile === 'p1' &&
    (event.payload as RefreshLogEntry).result === result
  );
}
