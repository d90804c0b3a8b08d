// A child process for keychain-services-no-keyring.test.ts, run with tsx (it
// imports the TypeScript sources): the app's services with the real keychain
// module on a desktop that has no Secret Service (the parent starts it with
// no usable D-Bus session). It signs in, tries to add a service account,
// renews, tries to move the sign-in, and prints what came back as one JSON line.
import { startAuthServer } from '../../../../e2e/auth-server/auth-server.js';
import { createKeychain } from '../../keychain/keychain.js';
import { startTestApp, valueIn } from '../testing-app.js';

const server = await startAuthServer({ pollIntervalSeconds: 1 });
const app = await startTestApp((log) => createKeychain({ log }));
try {
  const profile = 'work';
  const done = app.progress(
    (p) => p.profile === profile && ['signed-in', 'failed'].includes(p.state),
  );
  const started = await app.services.handlers.startSignIn({
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
  const signedIn = await done;
  const afterSignIn = await app.readConfig();

  const serviceAccount = await app.services.handlers.addServiceAccount({
    name: 'robot',
    dataBaseUrl: server.dataApiUrl,
    clientId: server.serviceClient.clientId,
    clientSecret: server.serviceClient.clientSecret,
  });
  const status = await app.services.handlers.getKeychainStatus({});
  const refreshed = await app.services.handlers.refreshToken({ profile });
  const afterRefresh = await app.readConfig();
  const moved = await app.services.handlers.moveSignIn({ profile, to: 'keychain' });
  const afterMove = await app.readConfig();
  const renamed = await app.services.handlers.renameProfile({
    name: profile,
    newName: 'work renamed',
  });
  const settings = await app.services.handlers.getSettings({});

  process.stdout.write(
    `${JSON.stringify({
      signedIn,
      afterSignIn,
      serviceAccount,
      status,
      refreshed,
      afterRefresh,
      moved,
      afterMove,
      renamed: renamed.ok ? renamed.value.description : renamed,
      settings,
      refreshTokens: [afterSignIn, afterRefresh].map((text) =>
        valueIn(text, profile, 'REFRESH_TOKEN'),
      ),
      clientSecret: server.serviceClient.clientSecret,
      logLines: app.logLines,
    })}\n`,
  );
} finally {
  await app.close();
  await server.close();
}
