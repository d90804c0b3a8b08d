import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import {
  startAuthServer,
  type AuthServer,
} from '../../../e2e/auth-server/auth-server.js';
import { systemClock } from '../app-services.js';
import {
  requestServiceToken,
  type ServiceAccountCredentials,
} from './client-credentials.js';

const secret = 's3cret:with/odd chars+%';
let server: AuthServer;
beforeAll(async () => {
  server = await startAuthServer({
    serviceClient: { clientId: 'svc-1', clientSecret: secret },
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.faults.clear();
});

const deps = { fetch, clock: systemClock };

function account(
  overrides: Partial<ServiceAccountCredentials> = {},
): ServiceAccountCredentials {
  return {
    dataBaseUrl: server.dataApiUrl,
    clientId: 'svc-1',
    clientSecret: secret,
    ...overrides,
  };
}

test('gets a token with HTTP Basic and an empty scope from the data API', async () => {
  const result = await requestServiceToken(account(), deps);

  if (!result.ok) {
    throw new Error(result.failure.message);
  }
  const { fields } = result.value;
  expect(Object.keys(fields)).toEqual(['TOKEN', 'TOKEN_EXPIRES']);
  expect(decodeJwt(fields.TOKEN).sub).toBe('svc-1');
  expect(fields.TOKEN_EXPIRES).toBe(decodeJwt(fields.TOKEN).exp);
  expect(server.requests.at(-1)).toMatchObject({
    endpoint: 'data_token',
    path: '/api/oauth2/token',
    basicAuthClientId: 'svc-1',
    query: {},
    form: { grant_type: 'client_credentials', scope: '' },
  });
});

test('a wrong secret is refused in plain words, without the secret', async () => {
  const result = await requestServiceToken(
    account({ clientSecret: 'wrong-secret-value' }),
    deps,
  );

  expect(result).toEqual({
    ok: false,
    failure: {
      kind: 'rejected',
      message: 'The data API did not accept this client id and secret (invalid_client).',
    },
  });
});

test('an unavailable data API', async () => {
  server.faults.next('data_token', { kind: 'status', status: 502 });

  const result = await requestServiceToken(account(), deps);

  expect(result).toMatchObject({
    ok: false,
    failure: {
      kind: 'server-unavailable',
      message: 'Auth server unavailable: it answered HTTP 502.',
    },
  });
  expect(JSON.stringify(result)).not.toContain(secret);
});

test('a missing secret is caught before any request', async () => {
  const before = server.requests.length;

  const result = await requestServiceToken(account({ clientSecret: '' }), deps);

  expect(result).toMatchObject({ ok: false, failure: { kind: 'cannot-refresh' } });
  expect(server.requests.length).toBe(before);
});
