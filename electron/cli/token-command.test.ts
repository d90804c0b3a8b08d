import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../../e2e/auth-server/auth-server.js';
import {
  startTestApp,
  unavailableKeychain,
  valueIn,
  type TestApp,
} from '../core/tokens/testing-app.js';
import { noTokenExitCode, runTokenCommand } from './token-command.js';

let server: AuthServer;
let app: TestApp;
beforeAll(async () => {
  server = await startAuthServer({ pollIntervalSeconds: 1 });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await app?.close();
});

async function signedInApp(): Promise<TestApp> {
  const target = await startTestApp();
  const done = target.progress((p) => p.state === 'signed-in');
  const started = await target.services.handlers.startSignIn({
    profile: 'default',
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

  return target;
}

it('token prints only a valid token, renewing one that expires within a minute', async () => {
  app = await signedInApp();
  await app.services.handlers.updateProfile({
    name: 'default',
    fields: { TOKEN_EXPIRES: Date.now() / 1000 + 20 },
  });
  const before = valueIn(await app.readConfig(), 'default', 'TOKEN');
  const options = {
    profilesPath: app.configPath,
    dataDir: app.dataDir,
    keychain: unavailableKeychain(),
  };

  const output = await runTokenCommand('default', 'token', options);

  const stored = valueIn(await app.readConfig(), 'default', 'TOKEN');
  expect(output).toEqual({ stdout: `${stored}\n`, stderr: '', exitCode: 0 });
  expect(stored).not.toBe(before);
});

it('says why in plain words, on standard error, with a non-zero exit code', async () => {
  app = await signedInApp();
  const options = {
    profilesPath: app.configPath,
    dataDir: app.dataDir,
    keychain: unavailableKeychain(),
  };

  const output = await runTokenCommand('nobody', 'refresh', options);

  expect(output).toEqual({
    stdout: '',
    stderr: 'There is no profile named "nobody".\n',
    exitCode: noTokenExitCode,
  });
});
