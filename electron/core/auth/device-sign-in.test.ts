import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  DEVICE_CODE_GRANT,
  startAuthServer,
  type AuthServer,
  type AuthServerOptions,
} from '../../../e2e/auth-server/auth-server.js';
import { systemClock, type Clock } from '../app-services.js';
import { createLogger } from '../logger.js';
import type { AuthResult } from './auth-failure.js';
import { DeviceSignInRegistry, REPLACED_MESSAGE } from './device-sign-in-registry.js';
import {
  CODE_EXPIRED_MESSAGE,
  DECLINED_MESSAGE,
  startDeviceSignIn,
  type DevicePollStatus,
  type DeviceSignInDeps,
  type DeviceSignInSession,
  type SignedIn,
} from './device-sign-in.js';
import { DiscoveryClient } from './discovery.js';
import type { Sleep } from './timing.js';

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

/**
 * A sleep that returns at once and records each requested delay. `onSleep`
 * runs before it returns, with the 1-based number of the wait and the user
 * code once the test has it, so the person can act "during" a wait.
 */
function scriptedSleep(
  onSleep: (wait: number, userCode: string) => Promise<void> | void = () => {},
) {
  const delays: number[] = [];
  let showCode: (userCode: string) => void = () => {};
  const userCode = new Promise<string>((resolve) => {
    showCode = resolve;
  });
  const sleep: Sleep = async (ms, signal) => {
    delays.push(ms);
    await onSleep(delays.length, await userCode);
    signal?.throwIfAborted();
  };

  return { delays, sleep, showCode };
}

interface Harness {
  deps: DeviceSignInDeps;
  delays: number[];
  statuses: DevicePollStatus[];
  logLines: string[];
  begin(target?: AuthServer, signal?: AbortSignal): Promise<DeviceSignInSession>;
}

function harness(
  onSleep?: (wait: number, userCode: string) => Promise<void> | void,
  clock: Clock = systemClock,
): Harness {
  const { delays, sleep, showCode } = scriptedSleep(onSleep);
  const logLines: string[] = [];
  const log = createLogger({
    destination: { write: (line: string) => logLines.push(line) },
  });
  const deps: DeviceSignInDeps = {
    fetch,
    clock,
    sleep,
    hostname: 'test-host',
    discovery: new DiscoveryClient({ fetch, clock }),
    log,
  };
  const statuses: DevicePollStatus[] = [];

  return {
    deps,
    delays,
    statuses,
    logLines,
    async begin(target = server, signal) {
      const request = {
        authServerUrl: target.url,
        clientId: target.clientId,
        onStatus: (status: DevicePollStatus) => statuses.push(status),
        ...(signal === undefined ? {} : { signal }),
      };
      const started = await startDeviceSignIn(request, deps);
      if (!started.ok) {
        throw new Error(started.failure.message);
      }
      showCode(started.value.code.userCode);

      return started.value;
    },
  };
}

function signedIn(result: AuthResult<SignedIn>): SignedIn {
  if (!result.ok) {
    throw new Error(`sign-in failed: ${result.failure.message}`);
  }

  return result.value;
}

function devicePolls(target = server) {
  return target.requests.filter(
    (request) =>
      request.endpoint === 'token' && request.form.grant_type === DEVICE_CODE_GRANT,
  );
}

describe('a full device sign-in', () => {
  test('shows a code, waits for approval, and returns what the profile needs', async () => {
    const run = harness(async (wait, userCode) => {
      if (wait === 2) {
        await server.approveDevice(userCode, { email: 'ada@example.com' });
      }
    });
    const before = Date.now();

    const session = await run.begin();
    const result = signedIn(await session.result);

    expect(session.code.verificationUri).toBe(`${server.url}/oauth2/device`);
    expect(session.code.verificationUriComplete).toBe(
      `${server.url}/oauth2/device?user_code=${encodeURIComponent(session.code.userCode)}`,
    );
    expect(session.code.intervalSeconds).toBe(5);
    expect(session.code.expiresAt).toBeGreaterThanOrEqual(before + 600_000);
    expect(run.delays).toEqual([5000, 5000]);
    expect(run.statuses.map((status) => status.state)).toEqual(['waiting', 'waiting']);

    const claims = decodeJwt(result.fields.TOKEN);
    expect(result.fields.TOKEN_EXPIRES).toBe(claims.exp);
    expect(result.fields.REFRESH_TOKEN.length).toBeGreaterThan(20);
    expect(result.fields.REFRESH_TOKEN_ID).toMatch(/^[0-9a-f]{8}-/);
    expect(result.signedInAs).toBe('ada@example.com');
    expect(run.logLines.join('\n')).not.toContain(result.fields.TOKEN);
    expect(run.logLines.join('\n')).not.toContain(result.fields.REFRESH_TOKEN);
  });

  test('asks for the code as FusionAuth expects, and polls with a form body', async () => {
    const run = harness(async (wait, userCode) => {
      if (wait === 1) {
        await server.approveDevice(userCode);
      }
    });

    signedIn(await (await run.begin()).result);

    const authorize = server.requests.findLast(
      (request) => request.endpoint === 'device_authorize',
    );
    expect(authorize?.form).toEqual({
      client_id: server.clientId,
      scope: 'offline_access',
      'metaData.device.name': 'Doover Profiles on test-host',
      'metaData.device.type': 'other',
    });
    const poll = devicePolls().at(-1);
    expect(poll?.query).toEqual({});
    expect(poll?.form).toMatchObject({
      grant_type: DEVICE_CODE_GRANT,
      client_id: server.clientId,
    });
  });

  test('names the subject when the token has no email', async () => {
    const run = harness(async (wait, userCode) => {
      if (wait === 1) {
        await server.approveDevice(userCode, { sub: 'user-42' });
      }
    });

    expect(signedIn(await (await run.begin()).result).signedInAs).toBe('user-42');
  });

  test('polls at the interval the server gives', async () => {
    const quick = await start({ pollIntervalSeconds: 1 });
    const run = harness(async (wait, userCode) => {
      if (wait === 1) {
        await quick.approveDevice(userCode);
      }
    });

    signedIn(await (await run.begin(quick)).result);
    expect(run.delays).toEqual([1000]);
  });

  test('polls every 5 s when the server gives no interval', async () => {
    const run = harness(async (wait, userCode) => {
      if (wait === 1) {
        await server.approveDevice(userCode);
      }
    });
    // oidc-provider sends no interval; the test server adds one, taken out here again.
    run.deps.fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).endsWith('/oauth2/device_authorize')) {
        return response;
      }
      const body = (await response.json()) as Record<string, unknown>;
      delete body.interval;
      return Response.json(body, { status: response.status });
    };

    const session = await run.begin();

    expect(session.code.intervalSeconds).toBe(5);
    signedIn(await session.result);
    expect(run.delays).toEqual([5000]);
  });
});

describe('slowing down', () => {
  test('each slow_down adds 5 s to the interval', async () => {
    server.faults.next(
      'token',
      { kind: 'oauth-error', error: 'slow_down' },
      { times: 2, grantType: DEVICE_CODE_GRANT },
    );
    const run = harness(async (wait, userCode) => {
      if (wait === 4) {
        await server.approveDevice(userCode);
      }
    });

    signedIn(await (await run.begin()).result);

    expect(run.delays).toEqual([5000, 10_000, 15_000, 15_000]);
  });

  test('a server that enforces the interval is answered by slowing down', async () => {
    const strict = await start({ pollIntervalSeconds: 1, enforcePollInterval: true });
    const controller = new AbortController();
    // The waits return at once, so the second poll comes too soon.
    const run = harness((wait) => {
      if (wait === 3) {
        controller.abort();
      }
    });

    const result = await (await run.begin(strict, controller.signal)).result;

    expect(devicePolls(strict).map((request) => request.answeredBy)).toEqual([
      'provider',
      'poll-limit',
    ]);
    expect(run.delays).toEqual([1000, 1000, 6000]);
    expect(result).toEqual({
      ok: false,
      failure: { kind: 'cancelled', message: 'Sign-in was cancelled.' },
    });
  });
});

describe('ending without a sign-in', () => {
  test('the person declines in the browser', async () => {
    const run = harness(async (wait, userCode) => {
      if (wait === 1) {
        await server.approveDevice(userCode, { deny: true });
      }
    });

    expect(await (await run.begin()).result).toEqual({
      ok: false,
      failure: { kind: 'declined', message: DECLINED_MESSAGE },
    });
  });

  test('the server says the code expired', async () => {
    server.faults.next('token', { kind: 'oauth-error', error: 'expired_token' });
    const run = harness();

    expect(await (await run.begin()).result).toEqual({
      ok: false,
      failure: { kind: 'code-expired', message: CODE_EXPIRED_MESSAGE },
    });
  });

  test('the code runs out on the local clock', async () => {
    const shortLived = await start({ deviceCodeTtl: 12 });
    let now = Date.now();
    const clock = { now: () => now };
    const run = harness((_wait) => {
      now += run.delays.at(-1) ?? 0;
    }, clock);

    const result = await (await run.begin(shortLived)).result;

    expect(result).toEqual({
      ok: false,
      failure: { kind: 'code-expired', message: CODE_EXPIRED_MESSAGE },
    });
    // Two polls at 5 s and 10 s, then a wait cut short to the 2 s left.
    expect(run.delays).toEqual([5000, 5000, 2000]);
    expect(devicePolls(shortLived)).toHaveLength(2);
  });

  test('another OAuth error is shown plainly', async () => {
    server.faults.next('token', {
      kind: 'oauth-error',
      error: 'invalid_client',
      description: 'Client authentication failed.',
    });

    expect(await (await harness().begin()).result).toEqual({
      ok: false,
      failure: {
        kind: 'rejected',
        message:
          'The auth server refused the request (invalid_client): Client authentication failed.',
      },
    });
  });

  test('the sign-in cannot start when discovery answers with a web page', async () => {
    server.faults.next('discovery', { kind: 'html', status: 200 });
    const deps = harness().deps;

    const started = await startDeviceSignIn(
      { authServerUrl: server.url, clientId: server.clientId },
      deps,
    );

    expect(!started.ok && started.failure.message).toMatch(
      /sent a web page instead of data/,
    );
  });

  test('cancelled through the caller signal', async () => {
    const controller = new AbortController();
    const run = harness((wait) => {
      if (wait === 2) {
        controller.abort();
      }
    });

    const result = await (await run.begin(server, controller.signal)).result;

    expect(result).toMatchObject({ ok: false, failure: { kind: 'cancelled' } });
  });
});

describe('network trouble', () => {
  test('retries with growing waits, then signs in once the server answers', async () => {
    server.faults.next(
      'token',
      { kind: 'drop' },
      { times: 2, grantType: DEVICE_CODE_GRANT },
    );
    server.faults.next(
      'token',
      { kind: 'status', status: 500 },
      { grantType: DEVICE_CODE_GRANT },
    );
    const run = harness(async (wait, userCode) => {
      if (wait === 5) {
        await server.approveDevice(userCode);
      }
    });

    signedIn(await (await run.begin()).result);

    expect(run.delays).toEqual([5000, 10_000, 20_000, 40_000, 5000]);
    const retrying = run.statuses.filter((status) => status.state === 'retrying');
    expect(retrying.map((status) => status.message)).toEqual([
      expect.stringMatching(
        /^Could not reach the auth server at .*: the connection closed before an answer came\.$/,
      ),
      expect.stringMatching(/^Could not reach the auth server/),
      'Auth server unavailable: it answered HTTP 500.',
    ]);
  });

  test('after a failed sign-in a new code works', async () => {
    server.faults.next('token', { kind: 'oauth-error', error: 'expired_token' });
    let approved: () => void = () => {};
    const approval = new Promise<void>((resolve) => {
      approved = resolve;
    });
    // The first session polls at once; the second waits until its code is approved.
    let waits = 0;
    const sleep: Sleep = async () => {
      waits += 1;
      if (waits > 1) {
        await approval;
      }
    };
    const registry = new DeviceSignInRegistry({ ...harness().deps, sleep });
    const request = { authServerUrl: server.url, clientId: server.clientId };

    const first = await registry.start('default', request);
    const firstResult = first.ok ? await first.value.result : null;
    const second = await registry.start('default', request);
    if (!second.ok || !first.ok) {
      throw new Error('a sign-in did not start');
    }
    await server.approveDevice(second.value.code.userCode);
    approved();

    expect(firstResult).toMatchObject({ ok: false, failure: { kind: 'code-expired' } });
    expect(second.value.code.userCode).not.toBe(first.value.code.userCode);
    expect((await second.value.result).ok).toBe(true);
  });
});

describe('one sign-in per profile', () => {
  test('a second sign-in for the same profile replaces the first', async () => {
    const run = harness();
    // Hold every wait until the test is done with it.
    const held: Sleep = (_ms, signal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    const registry = new DeviceSignInRegistry({ ...run.deps, sleep: held });
    const request = { authServerUrl: server.url, clientId: server.clientId };

    const first = await registry.start('default', request);
    const other = await registry.start('staging', request);
    const second = await registry.start('default', request);
    if (!first.ok || !second.ok || !other.ok) {
      throw new Error('a sign-in did not start');
    }

    expect(await first.value.result).toEqual({
      ok: false,
      failure: { kind: 'cancelled', message: REPLACED_MESSAGE },
    });
    expect(registry.isRunning('default')).toBe(true);
    expect(registry.isRunning('staging')).toBe(true);
    expect(registry.cancel('default')).toBe(true);
    expect(await second.value.result).toMatchObject({
      ok: false,
      failure: { kind: 'cancelled' },
    });
    expect(registry.isRunning('default')).toBe(false);
    registry.cancelAll();
    expect(await other.value.result).toMatchObject({
      ok: false,
      failure: { kind: 'cancelled' },
    });
  });
});
