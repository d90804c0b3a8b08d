import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { DEVICE_CODE_GRANT, DOOVER_CLIENT_ID, startAuthServer } from './auth-server.js';
import type { AuthServer, AuthServerOptions } from './auth-server.js';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function post(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form),
  });
  const isJson = response.headers.get('content-type')?.includes('json') ?? false;
  const body = isJson ? ((await response.json()) as Record<string, unknown>) : {};

  return { status: response.status, headers: response.headers, body };
}

function basicAuth(
  server: AuthServer,
  secret = server.serviceClient.clientSecret,
): Record<string, string> {
  const credentials = `${encodeURIComponent(server.serviceClient.clientId)}:${encodeURIComponent(secret)}`;

  return { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

function text(value: unknown): string {
  expect(typeof value).toBe('string');

  return value as string;
}

/** Starts a device sign-in as Doover's CLI does. */
async function startDeviceSignIn(server: AuthServer): Promise<Answer> {
  return post(`${server.url}/oauth2/device_authorize`, {
    client_id: server.clientId,
    scope: 'offline_access',
    'metaData.device.name': 'Test laptop',
    'metaData.device.type': 'other',
  });
}

function pollToken(server: AuthServer, deviceCode: string): Promise<Answer> {
  return post(`${server.url}/oauth2/token`, {
    grant_type: DEVICE_CODE_GRANT,
    device_code: deviceCode,
    client_id: server.clientId,
  });
}

function refresh(server: AuthServer, refreshToken: string): Promise<Answer> {
  return post(`${server.url}/oauth2/token`, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: server.clientId,
  });
}

/** A completed device sign-in: the token endpoint's answer. */
async function signIn(server: AuthServer, email = 'ada@example.com'): Promise<Answer> {
  const device = await startDeviceSignIn(server);
  await server.approveDevice(text(device.body.user_code), { email });

  return pollToken(server, text(device.body.device_code));
}

function clientCredentials(
  server: AuthServer,
  path = '/api/oauth2/token',
  secret?: string,
): Promise<Answer> {
  return post(
    `${server.url}${path}`,
    { grant_type: 'client_credentials', scope: '' },
    basicAuth(server, secret),
  );
}

const servers: AuthServer[] = [];

async function start(options: AuthServerOptions = {}): Promise<AuthServer> {
  const server = await startAuthServer(options);
  servers.push(server);

  return server;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('discovery', () => {
  test('lists the FusionAuth endpoint paths under the issuer', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/.well-known/openid-configuration`);
    const discovery = (await response.json()) as Record<string, unknown>;

    expect(discovery).toMatchObject({
      issuer: server.url,
      token_endpoint: `${server.url}/oauth2/token`,
      device_authorization_endpoint: `${server.url}/oauth2/device_authorize`,
      revocation_endpoint: `${server.url}/oauth2/revoke`,
      jwks_uri: `${server.url}/.well-known/jwks.json`,
    });
    const jwks = (await (await fetch(text(discovery.jwks_uri))).json()) as {
      keys: unknown[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(JSON.stringify(jwks)).not.toContain('"d":');
  });
});

describe('device sign-in', () => {
  let server: AuthServer;
  beforeAll(async () => {
    server = await start({ accessTokenTtl: 5 });
  });

  test('issues a signed JWT and a refresh token once the device is approved', async () => {
    const device = await startDeviceSignIn(server);
    expect(device.status).toBe(200);
    expect(device.body).toMatchObject({
      verification_uri: `${server.url}/oauth2/device`,
      expires_in: 600,
      interval: 5,
    });
    const userCode = text(device.body.user_code);
    expect(device.body.verification_uri_complete).toBe(
      `${server.url}/oauth2/device?user_code=${encodeURIComponent(userCode)}`,
    );

    const pending = await pollToken(server, text(device.body.device_code));
    expect(pending).toMatchObject({
      status: 400,
      body: { error: 'authorization_pending' },
    });

    await server.approveDevice(userCode, { email: 'ada@example.com', sub: 'user-ada' });
    const granted = await pollToken(server, text(device.body.device_code));

    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ token_type: 'Bearer', expires_in: 5 });
    expect(granted.body.refresh_token_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    text(granted.body.refresh_token);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(text(granted.body.access_token), jwks, {
      issuer: server.url,
      audience: DOOVER_CLIENT_ID,
    });
    expect(payload).toMatchObject({ sub: 'user-ada', email: 'ada@example.com' });
    expect(payload.exp).toBe((payload.iat ?? 0) + 5);
  });

  test('sends FusionAuth device metadata and never logs the device code', async () => {
    const device = await startDeviceSignIn(server);
    await pollToken(server, text(device.body.device_code));

    const authorize = server.requests.findLast(
      (request) => request.endpoint === 'device_authorize',
    );
    expect(authorize?.form).toMatchObject({
      'metaData.device.name': 'Test laptop',
      'metaData.device.type': 'other',
    });
    const poll = server.requests.findLast((request) => request.endpoint === 'token');
    expect(poll?.form.device_code).toBe(
      `<hidden ${text(device.body.device_code).length} chars>`,
    );
    expect(JSON.stringify(server.requests)).not.toContain(text(device.body.device_code));
  });

  test('answers access_denied when the person denies the device', async () => {
    const device = await startDeviceSignIn(server);
    await server.approveDevice(text(device.body.user_code), { deny: true });

    const denied = await pollToken(server, text(device.body.device_code));
    expect(denied).toMatchObject({ status: 400, body: { error: 'access_denied' } });
  });

  test('refuses to approve an unknown user code', async () => {
    await expect(server.approveDevice('BCDF-GHJK')).rejects.toThrow(
      /did not accept the user code/,
    );
  });

  test('uses a derived subject and the default email when none is given', async () => {
    const device = await startDeviceSignIn(server);
    await server.approveDevice(text(device.body.user_code));
    const granted = await pollToken(server, text(device.body.device_code));

    const claims = decodeJwt(text(granted.body.access_token));
    expect(claims.email).toBe('person@example.com');
    expect(claims.sub).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  test('answers expired_token once the device code has run out', async () => {
    const shortLived = await start({ deviceCodeTtl: 1 });
    const device = await startDeviceSignIn(shortLived);

    await vi.waitFor(
      async () => {
        const answer = await pollToken(shortLived, text(device.body.device_code));
        expect(answer.body.error).toBe('expired_token');
      },
      { timeout: 5000, interval: 250 },
    );
  });

  test('answers slow_down to polls sooner than the interval when asked to', async () => {
    const strict = await start({ pollIntervalSeconds: 2, enforcePollInterval: true });
    const device = await startDeviceSignIn(strict);
    expect(device.body.interval).toBe(2);

    const first = await pollToken(strict, text(device.body.device_code));
    const second = await pollToken(strict, text(device.body.device_code));
    expect(first.body.error).toBe('authorization_pending');
    expect(second).toMatchObject({ status: 400, body: { error: 'slow_down' } });
    expect(strict.requests.at(-1)?.answeredBy).toBe('poll-limit');
  });
});

describe('refresh', () => {
  test('rotates the refresh token, and reusing the old one revokes the sign-in', async () => {
    const server = await start();
    const signedIn = await signIn(server);
    const first = text(signedIn.body.refresh_token);

    const refreshed = await refresh(server, first);
    expect(refreshed.status).toBe(200);
    const second = text(refreshed.body.refresh_token);
    expect(second).not.toBe(first);
    expect(refreshed.body.refresh_token_id).not.toBe(signedIn.body.refresh_token_id);
    expect(decodeJwt(text(refreshed.body.access_token)).email).toBe('ada@example.com');

    const reused = await refresh(server, first);
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const afterReuse = await refresh(server, second);
    expect(afterReuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('keeps the refresh token when rotation is off', async () => {
    const server = await start({ rotateRefreshTokens: false });
    const signedIn = await signIn(server);
    const token = text(signedIn.body.refresh_token);

    const once = await refresh(server, token);
    const twice = await refresh(server, token);
    expect(once.body.refresh_token).toBe(token);
    expect(twice.status).toBe(200);
    expect(twice.body.refresh_token).toBe(token);
  });

  test('refuses a refresh token that has run out', async () => {
    // Without rotation an early, successful attempt leaves the token usable.
    const server = await start({ refreshTokenTtl: 1, rotateRefreshTokens: false });
    const signedIn = await signIn(server);
    const token = text(signedIn.body.refresh_token);

    await vi.waitFor(
      async () => {
        const answer = await refresh(server, token);
        expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      },
      { timeout: 5000, interval: 250 },
    );
  });

  test('accepts the parameters in the query string as pydoover sends them', async () => {
    const server = await start();
    const signedIn = await signIn(server);
    const query = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: text(signedIn.body.refresh_token),
      client_id: server.clientId,
      access_token: text(signedIn.body.access_token),
    });

    const response = await fetch(`${server.url}/oauth2/token?${query}`, {
      method: 'POST',
    });
    expect(response.status).toBe(200);
    const logged = server.requests.at(-1);
    expect(logged?.query.refresh_token).toMatch(/^<hidden \d+ chars>$/);
    expect(logged?.query.access_token).toMatch(/^<hidden \d+ chars>$/);
  });

  test('refuses a refresh token after it is revoked', async () => {
    const server = await start();
    const signedIn = await signIn(server);
    const token = text(signedIn.body.refresh_token);

    const revoked = await post(`${server.url}/oauth2/revoke`, {
      token,
      token_type_hint: 'refresh_token',
      client_id: server.clientId,
    });
    expect(revoked.status).toBe(200);
    expect(await refresh(server, token)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect(JSON.stringify(server.requests)).not.toContain(token);
  });
});

describe('service accounts', () => {
  let server: AuthServer;
  beforeAll(async () => {
    server = await start({
      serviceClient: { clientId: 'svc-1', clientSecret: 's3cret:with/odd chars' },
    });
  });

  test('issues a JWT for client credentials at the data API token path', async () => {
    const answer = await clientCredentials(server);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(answer.body.refresh_token).toBeUndefined();
    expect(decodeJwt(text(answer.body.access_token))).toMatchObject({
      sub: 'svc-1',
      aud: 'svc-1',
    });
    expect(server.requests.at(-1)).toMatchObject({
      endpoint: 'data_token',
      basicAuthClientId: 'svc-1',
    });
    expect(JSON.stringify(server.requests)).not.toContain('s3cret');
  });

  test('also answers at the auth server token endpoint', async () => {
    expect((await clientCredentials(server, '/oauth2/token')).status).toBe(200);
  });

  test('refuses a wrong secret', async () => {
    const answer = await clientCredentials(server, '/api/oauth2/token', 'wrong');
    expect(answer).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });
});

describe('faults', () => {
  let server: AuthServer;
  beforeAll(async () => {
    server = await start();
  });
  afterEach(() => {
    server.faults.clear();
  });

  test('answers slow_down a set number of times, then the real answer', async () => {
    const device = await startDeviceSignIn(server);
    server.faults.next(
      'token',
      { kind: 'oauth-error', error: 'slow_down' },
      { times: 2 },
    );

    const answers = [];
    for (let poll = 0; poll < 3; poll += 1) {
      answers.push((await pollToken(server, text(device.body.device_code))).body.error);
    }
    expect(answers).toEqual(['slow_down', 'slow_down', 'authorization_pending']);
    expect(server.faults.pending('token')).toBe(0);
  });

  test.each(['access_denied', 'expired_token', 'invalid_grant'])(
    'answers the OAuth error %s',
    async (error) => {
      server.faults.next('token', { kind: 'oauth-error', error });

      const answer = await refresh(server, 'anything');
      expect(answer).toMatchObject({ status: 400, body: { error } });
      expect(server.requests.at(-1)).toMatchObject({ answeredBy: 'fault', status: 400 });
    },
  );

  test('answers a bare server error', async () => {
    server.faults.next('token', { kind: 'status', status: 500 });

    const response = await fetch(`${server.url}/oauth2/token`, { method: 'POST' });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toContain('text/plain');
  });

  test.each([200, 502])('answers an HTML page with status %i', async (status) => {
    server.faults.next('discovery', { kind: 'html', status });

    const response = await fetch(`${server.url}/.well-known/openid-configuration`);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<html>');
  });

  test('answers a body that is not JSON', async () => {
    server.faults.next('data_token', { kind: 'invalid-json' });

    const response = await fetch(`${server.url}/api/oauth2/token`, {
      method: 'POST',
      headers: basicAuth(server),
    });
    expect(response.headers.get('content-type')).toBe('application/json');
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  test('delays the real answer', async () => {
    server.faults.next('discovery', { kind: 'delay', ms: 300 });

    const started = performance.now();
    const response = await fetch(`${server.url}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('drops the connection', async () => {
    server.faults.next('device_authorize', { kind: 'drop' });

    await expect(startDeviceSignIn(server)).rejects.toThrow(TypeError);
    expect(server.requests.at(-1)).toMatchObject({
      endpoint: 'device_authorize',
      answeredBy: 'fault',
    });
    expect(server.requests.at(-1)?.status).toBeUndefined();
  });

  test('skews the Date header', async () => {
    server.faults.dateSkewSeconds = -3600;

    const response = await fetch(`${server.url}/.well-known/openid-configuration`);
    const skew = Date.parse(response.headers.get('date') ?? '') - Date.now();
    expect(Math.abs(skew + 3_600_000)).toBeLessThan(5000);
  });

  test('aims a fault at one grant type only', async () => {
    server.faults.always(
      'token',
      { kind: 'status', status: 503 },
      { grantType: 'refresh_token' },
    );

    expect((await clientCredentials(server, '/oauth2/token')).status).toBe(200);
    expect((await refresh(server, 'anything')).status).toBe(503);
    expect((await refresh(server, 'anything')).status).toBe(503);
    server.faults.clear();
    expect((await refresh(server, 'anything')).body.error).toBe('invalid_grant');
  });
});
