import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import {
  startAuthServer,
  type AuthServer,
} from '../../../e2e/auth-server/auth-server.js';
import { systemClock } from '../app-services.js';
import { startDeviceSignIn } from './device-sign-in.js';
import { DiscoveryClient } from './discovery.js';
import { requestRefresh } from './refresh.js';
import { NOT_OFFERED_MESSAGE, REVOKED_MESSAGE, revokeRefreshToken } from './revoke.js';

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

const http = { fetch, clock: systemClock };
const deps = { ...http, discovery: new DiscoveryClient(http) };

/** A refresh token from the real device flow, approved on the first wait. */
async function signedInRefreshToken(): Promise<string> {
  let showCode: (userCode: string) => void = () => {};
  const userCode = new Promise<string>((resolve) => {
    showCode = resolve;
  });
  const started = await startDeviceSignIn(
    { authServerUrl: server.url, clientId: server.clientId },
    {
      ...deps,
      hostname: 'test-host',
      sleep: async () => server.approveDevice(await userCode),
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

  return result.value.fields.REFRESH_TOKEN;
}

function request(refreshToken: string) {
  return { authServerUrl: server.url, clientId: server.clientId, refreshToken };
}

test('revokes the refresh token at the revocation endpoint', async () => {
  const refreshToken = await signedInRefreshToken();

  const result = await revokeRefreshToken(request(refreshToken), deps);

  expect(result).toEqual({ outcome: 'revoked', message: REVOKED_MESSAGE });
  expect(server.requests.at(-1)).toMatchObject({
    endpoint: 'revoke',
    query: {},
    form: { token_type_hint: 'refresh_token', client_id: server.clientId },
  });
  const refreshed = await requestRefresh(request(refreshToken), deps);
  expect(!refreshed.ok && refreshed.failure.kind).toBe('needs-sign-in');
});

test('says so when the server offers no way to revoke', async () => {
  const plain = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token_endpoint: 'http://127.0.0.1:1/oauth2/token' }));
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const { port } = plain.address() as AddressInfo;
  try {
    const result = await revokeRefreshToken(
      { authServerUrl: `http://127.0.0.1:${port}`, clientId: 'c', refreshToken: 'r' },
      deps,
    );
    expect(result).toEqual({ outcome: 'not-offered', message: NOT_OFFERED_MESSAGE });
  } finally {
    plain.close();
  }
});

test('a server error is reported, without the token', async () => {
  const refreshToken = await signedInRefreshToken();
  server.faults.next('revoke', { kind: 'status', status: 503 });

  const result = await revokeRefreshToken(request(refreshToken), deps);

  expect(result).toMatchObject({
    outcome: 'failed',
    failure: { kind: 'server-unavailable', reason: 'server-error' },
    message:
      'Auth server unavailable: it answered HTTP 503. The sign-in was removed from this computer only.',
  });
  expect(JSON.stringify(result)).not.toContain(refreshToken);
});

test('a refusal is shown plainly', async () => {
  server.faults.next('revoke', {
    kind: 'oauth-error',
    error: 'unsupported_token_type',
    description: 'Refresh tokens cannot be revoked here.',
  });

  const result = await revokeRefreshToken(request('anything'), deps);

  expect(result.message).toBe(
    'The auth server refused the request (unsupported_token_type): Refresh tokens cannot be revoked here. The sign-in was removed from this computer only.',
  );
});

test('nothing to revoke without a refresh token', async () => {
  const before = server.requests.length;

  expect((await revokeRefreshToken(request(''), deps)).outcome).toBe('nothing-to-revoke');
  expect(server.requests.length).toBe(before);
});
