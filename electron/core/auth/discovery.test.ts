import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  startAuthServer,
  type AuthServer,
} from '../../../e2e/auth-server/auth-server.js';
import { systemClock, type Clock } from '../app-services.js';
import { DiscoveryClient } from './discovery.js';

let server: AuthServer;
beforeAll(async () => {
  server = await startAuthServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.faults.clear();
});

function discoveryRequests(): number {
  return server.requests.filter((request) => request.endpoint === 'discovery').length;
}

function client(options: { clock?: Clock; timeoutMs?: number } = {}): DiscoveryClient {
  return new DiscoveryClient({ fetch, clock: options.clock ?? systemClock, ...options });
}

/** A plain HTTP server answering every request with `body` as JSON. */
async function jsonServer(body: unknown): Promise<{ url: string; server: Server }> {
  const plain = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const { port } = plain.address() as AddressInfo;

  return { url: `http://127.0.0.1:${port}`, server: plain };
}

describe('reading the discovery document', () => {
  test('finds the token, device and revocation endpoints', async () => {
    const result = await client().discover(`${server.url}/`);

    expect(result).toEqual({
      ok: true,
      value: {
        tokenEndpoint: `${server.url}/oauth2/token`,
        deviceAuthorizationEndpoint: `${server.url}/oauth2/device_authorize`,
        revocationEndpoint: `${server.url}/oauth2/revoke`,
      },
    });
  });

  test('caches the document per URL and shares concurrent lookups', async () => {
    const discovery = client();
    const before = discoveryRequests();

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => discovery.discover(server.url)),
    );
    await discovery.discover(`${server.url}/`);

    expect(answers.every((answer) => answer.ok)).toBe(true);
    expect(discoveryRequests() - before).toBe(1);
  });

  test('looks the document up again once the cache time has passed', async () => {
    let now = Date.now();
    const discovery = new DiscoveryClient({
      fetch,
      clock: { now: () => now },
      cacheMs: 60_000,
    });
    const before = discoveryRequests();

    await discovery.discover(server.url);
    now += 59_000;
    await discovery.discover(server.url);
    now += 2_000;
    await discovery.discover(server.url);

    expect(discoveryRequests() - before).toBe(2);
  });

  test('does not cache a failure', async () => {
    const discovery = client();
    server.faults.next('discovery', { kind: 'status', status: 500 });

    expect((await discovery.discover(server.url)).ok).toBe(false);
    expect((await discovery.discover(server.url)).ok).toBe(true);
  });

  test('says when a document has no token endpoint', async () => {
    const plain = await jsonServer({
      issuer: 'x',
      device_authorization_endpoint: 'http://x/d',
    });
    try {
      const result = await client().discover(plain.url);
      expect(result).toEqual({
        ok: false,
        failure: {
          kind: 'server-unavailable',
          reason: 'unexpected',
          message:
            'Auth server unavailable: its discovery document has no valid token_endpoint.',
        },
      });
    } finally {
      plain.server.close();
    }
  });

  test('refuses an endpoint that is not an http(s) URL', async () => {
    const plain = await jsonServer({ token_endpoint: 'file:///etc/passwd' });
    try {
      const result = await client().discover(plain.url);
      expect(result.ok || result.failure.message).toBe(
        'Auth server unavailable: its discovery document has no valid token_endpoint.',
      );
    } finally {
      plain.server.close();
    }
  });

  test('treats a missing revocation endpoint as none', async () => {
    const plain = await jsonServer({ token_endpoint: 'http://127.0.0.1:1/token' });
    try {
      const result = await client().discover(plain.url);
      expect(result).toMatchObject({
        ok: true,
        value: { deviceAuthorizationEndpoint: null, revocationEndpoint: null },
      });
    } finally {
      plain.server.close();
    }
  });
});

describe('failures in plain words', () => {
  test.each([
    [
      { kind: 'html', status: 200 } as const,
      'html',
      /sent a web page instead of data \(HTTP 200\)/,
    ],
    [
      { kind: 'html', status: 502 } as const,
      'server-error',
      /answered HTTP 502 with a web page/,
    ],
    [{ kind: 'status', status: 500 } as const, 'server-error', /answered HTTP 500\.$/],
    [{ kind: 'invalid-json' } as const, 'invalid-json', /not valid JSON \(HTTP 200\)/],
  ])('%o', async (fault, reason, message) => {
    server.faults.next('discovery', fault);

    const result = await client().discover(server.url);

    expect(result.ok).toBe(false);
    expect(!result.ok && result.failure).toMatchObject({
      kind: 'server-unavailable',
      reason,
    });
    expect(!result.ok && result.failure.message).toMatch(/^Auth server unavailable: /);
    expect(!result.ok && result.failure.message).toMatch(message);
  });

  test('a server that does not answer in time', async () => {
    server.faults.next('discovery', { kind: 'delay', ms: 1000 });

    const result = await client({ timeoutMs: 200 }).discover(server.url);

    expect(result).toEqual({
      ok: false,
      failure: {
        kind: 'server-unavailable',
        reason: 'timeout',
        message: 'Auth server unavailable: no answer within 0.2 s.',
      },
    });
  });

  test('a connection closed without an answer', async () => {
    server.faults.next('discovery', { kind: 'drop' });

    const result = await client().discover(server.url);

    expect(result).toEqual({
      ok: false,
      failure: {
        kind: 'network',
        message: `Could not reach the auth server at ${new URL(server.url).host}: the connection closed before an answer came.`,
      },
    });
  });

  test('a server that is down', async () => {
    const gone = await startAuthServer();
    await gone.close();

    const result = await client().discover(gone.url);

    expect(!result.ok && result.failure).toEqual({
      kind: 'network',
      message: `Could not reach the auth server at ${new URL(gone.url).host}: the connection was refused.`,
    });
  });

  test('an address that is not a URL', async () => {
    const result = await client().discover('auth dot doover');

    expect(!result.ok && result.failure).toEqual({
      kind: 'invalid-address',
      message: 'The auth server address is not a valid URL.',
    });
  });

  test('a caller that stops waiting', async () => {
    server.faults.next('discovery', { kind: 'delay', ms: 300 });
    const controller = new AbortController();

    const pending = client().discover(server.url, controller.signal);
    controller.abort();

    expect(await pending).toMatchObject({ ok: false, failure: { kind: 'cancelled' } });
  });
});
