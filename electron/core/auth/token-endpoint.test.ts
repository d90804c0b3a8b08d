import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  startAuthServer,
  type AuthServer,
} from '../../../e2e/auth-server/auth-server.js';
import { systemClock } from '../app-services.js';
import {
  basicAuthorization,
  postTokenRequest,
  type TokenOutcome,
} from './token-endpoint.js';

let server: AuthServer;
beforeAll(async () => {
  server = await startAuthServer({
    serviceClient: { clientId: 'svc-1', clientSecret: 'a b:c/d+e%' },
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.faults.clear();
});

const http = { fetch, clock: systemClock };

function refreshWith(refreshToken: string, timeoutMs?: number): Promise<TokenOutcome> {
  return postTokenRequest(
    {
      endpoint: `${server.url}/oauth2/token`,
      form: {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: server.clientId,
      },
    },
    timeoutMs === undefined ? http : { ...http, timeoutMs },
  );
}

function clientCredentials(): Promise<TokenOutcome> {
  return postTokenRequest(
    {
      endpoint: `${server.dataApiUrl}/oauth2/token`,
      form: { grant_type: 'client_credentials', scope: '' },
      basicAuth: server.serviceClient,
    },
    http,
  );
}

describe('sending', () => {
  test('puts the parameters in a form body, never in the URL', async () => {
    await refreshWith('not-a-real-token');

    const logged = server.requests.at(-1);
    expect(logged?.query).toEqual({});
    expect(logged?.form).toEqual({
      grant_type: 'refresh_token',
      refresh_token: '<hidden 16 chars>',
      client_id: server.clientId,
    });
  });

  test('form-encodes the client id and secret for HTTP Basic (RFC 6749 2.3.1)', async () => {
    expect(basicAuthorization({ clientId: 'a b', clientSecret: 'c:d/é' })).toBe(
      `Basic ${Buffer.from('a+b:c%3Ad%2F%C3%A9').toString('base64')}`,
    );

    const outcome = await clientCredentials();

    expect(outcome.kind).toBe('success');
    expect(server.requests.at(-1)).toMatchObject({
      basicAuthClientId: 'svc-1',
      form: { grant_type: 'client_credentials', scope: '' },
    });
  });
});

describe('classifying answers', () => {
  test('a success with its tokens and the server Date header', async () => {
    const before = Date.now();
    const outcome = await clientCredentials();

    expect(outcome.kind).toBe('success');
    if (outcome.kind !== 'success') {
      return;
    }
    expect(decodeJwt(outcome.tokens.access_token).sub).toBe('svc-1');
    expect(outcome.tokens.expires_in).toBe(3600);
    expect(outcome.serverTime.serverDate).toBeGreaterThan(before - 2000);
    expect(outcome.serverTime.serverDate).toBeLessThan(Date.now() + 2000);
    expect(outcome.serverTime.sentAt).toBeLessThanOrEqual(outcome.serverTime.receivedAt);
  });

  test('invalid_grant from the real server', async () => {
    expect(await refreshWith('not-a-real-token')).toMatchObject({
      kind: 'invalid_grant',
    });
  });

  test.each([
    'authorization_pending',
    'slow_down',
    'access_denied',
    'expired_token',
  ] as const)('%s', async (error) => {
    server.faults.next('token', { kind: 'oauth-error', error });
    expect((await refreshWith('x')).kind).toBe(error);
  });

  test('another OAuth error, with its description shown plainly', async () => {
    server.faults.next('token', {
      kind: 'oauth-error',
      error: 'unauthorized_client',
      description: 'This client may not\nuse this grant.',
    });

    expect(await refreshWith('x')).toMatchObject({
      kind: 'oauth-error',
      error: 'unauthorized_client',
      message:
        'The auth server refused the request (unauthorized_client): This client may not use this grant.',
    });
  });

  test('a description that quotes a token does not repeat it', async () => {
    const issued = await clientCredentials();
    const token = issued.kind === 'success' ? issued.tokens.access_token : 'missing';
    server.faults.next('token', {
      kind: 'oauth-error',
      error: 'invalid_request',
      description: `Token ${token} is malformed`,
    });

    const outcome = await refreshWith('x');

    expect(outcome.kind).toBe('oauth-error');
    expect(JSON.stringify(outcome)).not.toContain(token);
    expect(outcome.kind === 'oauth-error' && outcome.message).toContain('[token]');
  });

  test.each([
    [
      { kind: 'status', status: 500 } as const,
      'server-error',
      'Auth server unavailable: it answered HTTP 500.',
    ],
    [
      { kind: 'status', status: 503 } as const,
      'server-error',
      'Auth server unavailable: it answered HTTP 503.',
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
    [
      { kind: 'status', status: 429 } as const,
      'server-error',
      'Auth server unavailable: it is receiving too many requests (HTTP 429).',
    ],
    [
      { kind: 'status', status: 404 } as const,
      'unexpected',
      'Auth server unavailable: it answered HTTP 404 with no usable data.',
    ],
  ])('server trouble: %o', async (fault, reason, message) => {
    server.faults.next('token', fault);

    const outcome = await refreshWith('x');

    expect(outcome).toMatchObject({
      kind: 'failed',
      failure: { kind: 'server-unavailable', reason, message },
    });
    expect(outcome.kind === 'failed' && outcome.serverTime?.serverDate).toEqual(
      expect.any(Number),
    );
  });

  test('a timeout', async () => {
    server.faults.next('token', { kind: 'delay', ms: 1000 });

    expect(await refreshWith('x', 250)).toEqual({
      kind: 'failed',
      failure: {
        kind: 'server-unavailable',
        reason: 'timeout',
        message: 'Auth server unavailable: no answer within 0.3 s.',
      },
      serverTime: null,
    });
  });

  test('a dropped connection', async () => {
    server.faults.next('token', { kind: 'drop' });

    expect(await refreshWith('x')).toMatchObject({
      kind: 'failed',
      failure: {
        kind: 'network',
        message: expect.stringMatching(
          /^Could not reach the auth server at 127\.0\.0\.1:\d+: /,
        ),
      },
    });
  });

  test('a success without an access token', async () => {
    const plain = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"token_type":"Bearer","expires_in":60}');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const { port } = plain.address() as AddressInfo;
    try {
      const outcome = await postTokenRequest(
        { endpoint: `http://127.0.0.1:${port}/oauth2/token`, form: {} },
        http,
      );
      expect(outcome).toMatchObject({
        kind: 'failed',
        failure: {
          kind: 'server-unavailable',
          reason: 'unexpected',
          message: 'Auth server unavailable: its answer has no valid access_token.',
        },
      });
    } finally {
      plain.close();
    }
  });
});
