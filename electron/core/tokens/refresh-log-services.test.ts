import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startAuthServer,
  type AuthServer,
} from '../../../e2e/auth-server/auth-server.js';
import { refreshLogPath } from './refresh-log.js';
import { startTestApp, valueIn, type TestApp } from './testing-app.js';

/**
 * The renewal log through the app's services: real auth server, real files,
 * calls made as the renderer makes them.
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

async function signIn(target: TestApp, profile: string): Promise<void> {
  const done = target.progress(
    (p) => p.profile === profile && ['signed-in', 'failed'].includes(p.state),
  );
  const started = await target.services.handlers.startSignIn({
    profile,
    environment: 'custom',
    custom: {
      authServerUrl: server.url,
      baseUrl: 'https://api.example.test',
      dataBaseUrl: server.dataApiUrl,
      clientId: server.clientId,
    },
  });
  if (!started.ok) throw new Error(started.error.message);
  await server.approveDevice(started.value.userCode);
  expect((await done).state).toBe('signed-in');
}

async function logEntries(target: TestApp) {
  const listed = await target.services.handlers.getRefreshLog({});
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value;
}

describe('the renewal log', () => {
  it('records a Refresh button renewal and a failing one, never the token', async () => {
    app = await startTestApp();
    await signIn(app, 'work');
    const renewed = await app.services.handlers.refreshToken({ profile: 'work' });
    expect(renewed.ok).toBe(true);
    server.faults.next(
      'token',
      { kind: 'status', status: 500 },
      { grantType: 'refresh_token' },
    );
    const failed = await app.services.handlers.refreshToken({ profile: 'work' });
    expect(failed.ok).toBe(false);

    const entries = await logEntries(app);
    expect(entries).toMatchObject([
      {
        profile: 'work',
        trigger: 'button',
        result: 'failed',
        message: expect.stringMatching(/^Auth server unavailable/),
      },
      {
        profile: 'work',
        trigger: 'button',
        result: 'renewed',
        message: expect.stringMatching(/^Renewed/),
      },
    ]);
    const first = entries[1];
    expect(first?.durationMs).toBeGreaterThanOrEqual(0);
    expect(app.events.filter((e) => e.name === 'onRefreshLogEntry')).toHaveLength(2);

    const config = await app.readConfig();
    const secrets = [
      valueIn(config, 'work', 'TOKEN'),
      valueIn(config, 'work', 'REFRESH_TOKEN'),
    ];
    const onDisk = await readFile(refreshLogPath(app.dataDir), 'utf8');
    for (const secret of secrets) {
      expect(secret).toBeTruthy();
      expect(JSON.stringify(entries)).not.toContain(secret);
      expect(onDisk).not.toContain(secret);
    }
  });

  it('records a rejected sign-in as needing sign-in, and Copy with a good token not at all', async () => {
    app = await startTestApp();
    await signIn(app, 'work');
    const copied = await app.services.handlers.getTokenForCopy({ profile: 'work' });
    expect(copied).toMatchObject({ ok: true, value: { refreshed: false } });
    expect(await logEntries(app)).toEqual([]);

    server.faults.next(
      'token',
      { kind: 'oauth-error', error: 'invalid_grant', status: 400 },
      { grantType: 'refresh_token' },
    );
    await app.services.handlers.refreshToken({ profile: 'work' });

    expect(await logEntries(app)).toMatchObject([
      { profile: 'work', trigger: 'button', result: 'needs-sign-in' },
    ]);
  });
});
