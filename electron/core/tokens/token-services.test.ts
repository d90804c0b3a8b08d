import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startAuthServer,
  type AuthServer,
} from '../../../e2e/auth-server/auth-server.js';
import type { SignInProgress } from '../../../shared/token-types.js';
import { startTestApp, valueIn, type TestApp } from './testing-app.js';

/**
 * The token side of the app's services end to end: real auth server, real
 * files in a temporary home, calls made through the handlers the renderer
 * reaches. The keychain here is one whose module is missing, so sign-ins go
 * to the file (the keychain case runs in keychain-sign-in.test.ts).
 */

let server: AuthServer;
let app: TestApp;
beforeAll(async () => {
  server = await startAuthServer({ pollIntervalSeconds: 1 });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  server.faults.clear();
  await app?.close();
});

const custom = () => ({
  authServerUrl: server.url,
  baseUrl: 'https://api.example.test',
  dataBaseUrl: server.dataApiUrl,
  clientId: server.clientId,
});

/** Signs `profile` in through the device flow, approving over HTTP as a person would. */
export async function signIn(target: TestApp, profile: string): Promise<SignInProgress> {
  const done = target.progress(
    (p) => p.profile === profile && ['signed-in', 'failed'].includes(p.state),
  );
  const started = await target.services.handlers.startSignIn({
    profile,
    environment: 'custom',
    custom: custom(),
  });
  if (!started.ok) throw new Error(started.error.message);
  await server.approveDevice(started.value.userCode);

  return done;
}

function refreshRequests(): number {
  return server.requests.filter((r) => r.form.grant_type === 'refresh_token').length;
}

describe('signing in with a device code', () => {
  it('saves pydoover’s block in one patch, the sign-in in the file when there is no keychain', async () => {
    app = await startTestApp();
    const done = await signIn(app, 'work');

    expect(done).toMatchObject({
      state: 'signed-in',
      store: 'file',
      signedInAs: 'person@example.com',
    });
    expect(done.state === 'signed-in' && done.message).toMatch(
      /keychain is not available/,
    );
    const config = await app.readConfig();
    expect(valueIn(config, 'work', 'TOKEN')).toMatch(/^eyJ/);
    expect(valueIn(config, 'work', 'TOKEN_EXPIRES')).toMatch(/^\d+\.\d+$|^\d+\.0$/);
    expect(valueIn(config, 'work', 'REFRESH_TOKEN')).not.toBe('');
    expect(valueIn(config, 'work', 'AUTH_SERVER_URL')).toBe(server.url);
    expect(valueIn(config, 'work', 'BASE_URL')).toBe('https://api.example.test');
  });

  it('refuses to replace an existing profile unless asked, and keeps its AGENT_ID when replacing', async () => {
    app = await startTestApp();
    await app.services.handlers.createProfile({
      name: 'work',
      fields: { AGENT_ID: 'agent-7' },
    });

    const refused = await app.services.handlers.startSignIn({
      profile: 'work',
      environment: 'custom',
      custom: custom(),
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const done = app.progress((p) => p.state === 'signed-in');
    const started = await app.services.handlers.startSignIn({
      profile: 'work',
      environment: 'custom',
      custom: custom(),
      replace: true,
    });
    if (!started.ok) throw new Error(started.error.message);
    await server.approveDevice(started.value.userCode);
    await done;
    expect(valueIn(await app.readConfig(), 'work', 'AGENT_ID')).toBe('agent-7');
  });
});

describe('refreshing', () => {
  it('stores a rotated refresh token, and ten refreshes at once make one request', async () => {
    app = await startTestApp();
    await signIn(app, 'work');
    const before = await app.readConfig();
    const requestsBefore = refreshRequests();

    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.services.handlers.refreshToken({ profile: 'work' }),
      ),
    );

    expect(results.every((r) => r.ok)).toBe(true);
    expect(refreshRequests() - requestsBefore).toBe(1);
    const after = await app.readConfig();
    expect(valueIn(after, 'work', 'REFRESH_TOKEN')).not.toBe(
      valueIn(before, 'work', 'REFRESH_TOKEN'),
    );
    expect(valueIn(after, 'work', 'TOKEN')).not.toBe(valueIn(before, 'work', 'TOKEN'));
  });

  it('copy renews a token that expires within 60 s, and hands out a good one as it is', async () => {
    app = await startTestApp();
    await signIn(app, 'work');
    const requestsBefore = refreshRequests();

    const good = await app.services.handlers.getTokenForCopy({ profile: 'work' });
    expect(good).toMatchObject({
      ok: true,
      value: { refreshed: false, clipboardClearSeconds: 30 },
    });
    expect(refreshRequests()).toBe(requestsBefore);

    await app.services.handlers.updateProfile({
      name: 'work',
      fields: { TOKEN_EXPIRES: Date.now() / 1000 + 30 },
    });
    const renewed = await app.services.handlers.getTokenForCopy({ profile: 'work' });
    expect(renewed).toMatchObject({ ok: true, value: { refreshed: true } });
    expect(renewed.ok && renewed.value.token).toBe(
      valueIn(await app.readConfig(), 'work', 'TOKEN'),
    );
    expect(refreshRequests()).toBe(requestsBefore + 1);
  });

  it('invalid_grant says sign in again and leaves the file as it was', async () => {
    app = await startTestApp();
    await signIn(app, 'work');
    const before = await app.readConfig();
    server.faults.next(
      'token',
      { kind: 'oauth-error', error: 'invalid_grant', status: 400 },
      { grantType: 'refresh_token' },
    );

    const result = await app.services.handlers.refreshToken({ profile: 'work' });

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'auth-rejected', message: expect.stringMatching(/Sign in again/) },
    });
    expect(await app.readConfig()).toBe(before);
    // The profile's renewal state says so too, and background renewal stops.
    const states = await app.services.handlers.getRenewalStates({});
    expect(states.ok && states.value.profiles.work).toEqual({ kind: 'needs-sign-in' });
  });

  it('a 500 says the auth server is unavailable and keeps the token', async () => {
    app = await startTestApp();
    await signIn(app, 'work');
    const before = await app.readConfig();
    server.faults.next(
      'token',
      { kind: 'status', status: 500 },
      { grantType: 'refresh_token' },
    );

    const result = await app.services.handlers.refreshToken({ profile: 'work' });

    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'auth-unavailable',
        message: expect.stringMatching(/^Auth server unavailable/),
      },
    });
    expect(await app.readConfig()).toBe(before);
  });
});

describe('signing out', () => {
  it('revokes the refresh token, removes both tokens and keeps the URLs', async () => {
    app = await startTestApp();
    await signIn(app, 'work');

    const result = await app.services.handlers.signOut({ profile: 'work' });

    expect(result).toMatchObject({
      ok: true,
      value: { description: expect.stringMatching(/revoked/) },
    });
    expect(server.requests.some((r) => r.endpoint === 'revoke' && r.status === 200)).toBe(
      true,
    );
    const config = await app.readConfig();
    expect(valueIn(config, 'work', 'TOKEN')).toBe('');
    expect(valueIn(config, 'work', 'REFRESH_TOKEN')).toBe('');
    expect(valueIn(config, 'work', 'AUTH_SERVER_URL')).toBe(server.url);
  });
});

describe('service accounts', () => {
  it('are refused in plain words when the keychain cannot hold the secret', async () => {
    app = await startTestApp();

    const result = await app.services.handlers.addServiceAccount({
      name: 'robot',
      dataBaseUrl: server.dataApiUrl,
      clientId: server.serviceClient.clientId,
      clientSecret: server.serviceClient.clientSecret,
    });

    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'keychain-unavailable',
        message: expect.stringMatching(/only in the keychain/),
      },
    });
    await expect(app.readConfig()).rejects.toThrow();
  });
});
