import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startAuthServer,
  type AuthServer,
} from '../../../e2e/auth-server/auth-server.js';
import type { SignInProgress } from '../../../shared/token-types.js';
import { accountIdFor } from '../keychain/account-id.js';
import { checkKeychainHealth } from '../keychain/keychain-health.js';
import { createKeychain, type Keychain } from '../keychain/keychain.js';
import { startTestApp, valueIn, type TestApp } from './testing-app.js';

/**
 * The keychain side of the app's services against a real Secret Service
 * (GNOME Keyring in a private D-Bus session) and the real test auth server:
 * sign-in, refresh, moves both ways, service accounts, orphans, rename and
 * delete, and an entry gone missing. The keyring is shared with other test
 * files running at the same time, so every test names its profiles with its
 * own tag and removes the entries carrying it.
 */

const keyringRequired = process.env.DOOVER_TEST_KEYRING === '1';
if (!keyringRequired) {
  console.info(
    '[keychain-services.test] Skipping the real-keyring tests: DOOVER_TEST_KEYRING is not 1. Run them with e2e/support/with-keyring.sh npx vitest run electron/core/tokens',
  );
}

describe.runIf(keyringRequired)(
  'the app’s services with a real keychain',
  { timeout: 20_000 },
  () => {
    let server: AuthServer;
    let app: TestApp | undefined;
    let keychain: Keychain;
    let tag: string;

    beforeAll(async () => {
      keychain = createKeychain();
      // DOOVER_TEST_KEYRING promises a working keyring: a broken one fails here.
      expect(await checkKeychainHealth(keychain)).toMatchObject({ state: 'ok' });
      server = await startAuthServer({ pollIntervalSeconds: 1 });
    });
    afterAll(async () => {
      await server?.close();
    });
    beforeEach(() => {
      // A fresh tag per test keeps its entries apart from every other test's.
      tag = `kc-services-${randomBytes(4).toString('hex')}`;
    });
    afterEach(async () => {
      if (app !== undefined) {
        expectNoSecretLogged(app, await secretsSeen(app));
        await app.close();
        app = undefined;
      }
      await removeTaggedEntries();
    });

    async function removeTaggedEntries(): Promise<void> {
      const found = await keychain.findAccounts();
      expect(found.ok).toBe(true);
      for (const account of found.ok ? found.value : []) {
        if (account.includes(tag)) await keychain.deleteSecret(account);
      }
    }

    const start = async () => {
      app = await startTestApp((log) => createKeychain({ log }));
      return app;
    };
    const name = (suffix: string) => `${tag} ${suffix}`;
    const userAccount = (profile: string) =>
      accountIdFor({ name: profile, authServer: server.url });

    async function signIn(target: TestApp, profile: string): Promise<SignInProgress> {
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

      return done;
    }

    async function secretIn(account: string): Promise<string | null> {
      const read = await keychain.getSecret(account);
      if (!read.ok) throw new Error(read.error.message);
      return read.value;
    }

    /** Every token and secret this app's file and our keychain entries hold now. */
    async function secretsSeen(target: TestApp): Promise<string[]> {
      const config = await target.readConfig().catch(() => '');
      const fromFile = [...config.matchAll(/^(?:TOKEN|REFRESH_TOKEN)=(.+)$/gm)].map(
        (match) => match[1] ?? '',
      );
      const found = await keychain.findAccounts();
      const accounts = (found.ok ? found.value : []).filter((each) => each.includes(tag));
      const fromKeychain = await Promise.all(accounts.map(secretIn));

      return [...fromFile, ...fromKeychain, server.serviceClient.clientSecret].filter(
        (each): each is string => typeof each === 'string' && each.length > 8,
      );
    }

    function expectNoSecretLogged(target: TestApp, secrets: readonly string[]): void {
      const log = target.logLines.join('');
      for (const secret of secrets) {
        expect(log.includes(secret), 'a secret reached the log').toBe(false);
      }
    }

    /** How many requests carried `secret` (URL-safe, so it shows as it is). */
    function timesSent(target: TestApp, secret: string): number {
      return target.sentBodies.filter((body) => body.includes(secret)).length;
    }

    it('keeps a new sign-in in the keychain, and refresh replaces it with the rotated token', async () => {
      const target = await start();
      const profile = name('work');

      const done = await signIn(target, profile);

      expect(done).toMatchObject({ state: 'signed-in', store: 'keychain' });
      expect(done.state === 'signed-in' && done.message).toMatch(/kept in the keychain/);
      const config = await target.readConfig();
      expect(valueIn(config, profile, 'TOKEN')).toMatch(/^eyJ/);
      expect(valueIn(config, profile, 'TOKEN_EXPIRES')).toMatch(/^\d+(\.\d+)?$/);
      expect(valueIn(config, profile, 'REFRESH_TOKEN')).toBe('');
      const first = await secretIn(userAccount(profile));
      expect(first).toEqual(expect.any(String));
      expect(config).not.toContain(first);

      const refreshed = await target.services.handlers.refreshToken({ profile });
      expect(refreshed).toMatchObject({ ok: true, value: { refreshed: true } });
      const second = await secretIn(userAccount(profile));
      expect(second).toEqual(expect.any(String));
      expect(second).not.toBe(first);
      const after = await target.readConfig();
      expect(valueIn(after, profile, 'REFRESH_TOKEN')).toBe('');
      expect(valueIn(after, profile, 'TOKEN')).not.toBe(
        valueIn(config, profile, 'TOKEN'),
      );

      // With rotation, the server revokes the grant if an old token comes back.
      expect(await target.services.handlers.refreshToken({ profile })).toMatchObject({
        ok: true,
      });
      expect(timesSent(target, first ?? '')).toBe(1);
      expect(timesSent(target, second ?? '')).toBe(1);
    });

    it('moves a sign-in to the file and back, the file and keychain checked at each step', async () => {
      const target = await start();
      const profile = name('moving');
      await signIn(target, profile);
      const secret = (await secretIn(userAccount(profile))) ?? '';
      expect(secret).not.toBe('');

      const toFile = await target.services.handlers.moveSignIn({ profile, to: 'file' });
      expect(toFile).toMatchObject({ ok: true, value: { store: 'file' } });
      expect(valueIn(await target.readConfig(), profile, 'REFRESH_TOKEN')).toBe(secret);
      expect(await secretIn(userAccount(profile))).toBeNull();
      expect(await target.services.handlers.getSettings({})).toMatchObject({
        ok: true,
        value: { profiles: { [profile]: { signInStore: 'file' } } },
      });

      const back = await target.services.handlers.moveSignIn({ profile, to: 'keychain' });
      expect(back).toMatchObject({ ok: true, value: { store: 'keychain' } });
      const config = await target.readConfig();
      expect(valueIn(config, profile, 'REFRESH_TOKEN')).toBe('');
      expect(config).not.toContain(secret);
      expect(await secretIn(userAccount(profile))).toBe(secret);

      // Once the window knows the file has no refresh token, the profile
      // still renews itself, from the keychain.
      const inFile = async () => {
        const snapshot = await target.services.handlers.getSnapshot({});
        return snapshot.ok
          ? snapshot.value.profiles.find((each) => each.name === profile)?.hasRefreshToken
          : undefined;
      };
      await expect.poll(inFile, { timeout: 5_000 }).toBe(false);
      const renewal = async () => {
        const states = await target.services.handlers.getRenewalStates({});
        return states.ok ? states.value.profiles[profile]?.kind : undefined;
      };
      await expect.poll(renewal, { timeout: 5_000 }).toBe('planned');

      // Nothing lost: the moved sign-in still renews.
      expect(await target.services.handlers.refreshToken({ profile })).toMatchObject({
        ok: true,
        value: { refreshed: true },
      });
    });

    it('keeps a service account’s secret only in the keychain and renews with it', async () => {
      const target = await start();
      const profile = name('robot');
      const { clientId, clientSecret } = server.serviceClient;

      const added = await target.services.handlers.addServiceAccount({
        name: profile,
        dataBaseUrl: server.dataApiUrl,
        clientId,
        clientSecret,
      });

      expect(added).toMatchObject({
        ok: true,
        value: { description: expect.stringMatching(/fetched its first token/) },
      });
      const account = accountIdFor({ name: profile, authServer: server.dataApiUrl });
      expect(await secretIn(account)).toBe(clientSecret);
      const config = await target.readConfig();
      expect(config).not.toContain(clientSecret);
      expect(valueIn(config, profile, 'TOKEN')).toMatch(/^eyJ/);
      expect(valueIn(config, profile, 'TOKEN_EXPIRES')).toMatch(/^\d+(\.\d+)?$/);
      expect(valueIn(config, profile, 'BASE_DATA_URL')).toBe(server.dataApiUrl);

      const copied = await target.services.handlers.getTokenForCopy({ profile });
      expect(copied).toMatchObject({ ok: true, value: { refreshed: false } });
      expect(copied.ok && copied.value.token).toBe(valueIn(config, profile, 'TOKEN'));
      const renewed = await target.services.handlers.refreshToken({ profile });
      expect(renewed).toMatchObject({ ok: true, value: { refreshed: true } });
      const after = await target.readConfig();
      expect(valueIn(after, profile, 'TOKEN')).not.toBe(
        valueIn(config, profile, 'TOKEN'),
      );
      expect(after).not.toContain(clientSecret);
      expect(JSON.stringify([added, copied, renewed])).not.toContain(clientSecret);
    });

    it('lists an entry whose profile is gone as an orphan and removes only it', async () => {
      const target = await start();
      const profile = name('kept');
      await signIn(target, profile);
      const orphan = userAccount(name('gone'));
      expect((await keychain.setSecret(orphan, 'left-behind-refresh-token')).ok).toBe(
        true,
      );

      const status = await target.services.handlers.getKeychainStatus({});
      expect(status).toMatchObject({ ok: true, value: { state: 'ok' } });
      expect(status.ok && status.value.orphans).toContain(orphan);
      expect(status.ok && status.value.orphans).not.toContain(userAccount(profile));

      const removed = await target.services.handlers.removeKeychainOrphans({
        accounts: [orphan, userAccount(profile)],
      });
      expect(removed).toMatchObject({ ok: true, value: { removed: [orphan] } });
      expect(removed.ok && removed.value.problems.join(' ')).toMatch(/kept/);
      expect(await secretIn(orphan)).toBeNull();
      expect(await secretIn(userAccount(profile))).toEqual(expect.any(String));
    });

    it('moves the keychain entry and settings when a profile is renamed', async () => {
      const target = await start();
      const before = name('old');
      const after = name('new');
      await signIn(target, before);
      const secret = await secretIn(userAccount(before));

      const renamed = await target.services.handlers.renameProfile({
        name: before,
        newName: after,
      });

      expect(renamed).toMatchObject({ ok: true });
      expect(await secretIn(userAccount(after))).toBe(secret);
      expect(await secretIn(userAccount(before))).toBeNull();
      expect(await target.services.handlers.getSettings({})).toMatchObject({
        ok: true,
        value: { profiles: { [after]: { signInStore: 'keychain' } } },
      });
      const status = await target.services.handlers.getKeychainStatus({});
      expect(status.ok && status.value.orphans.filter((a) => a.includes(tag))).toEqual(
        [],
      );
      expect(
        await target.services.handlers.refreshToken({ profile: after }),
      ).toMatchObject({ ok: true, value: { refreshed: true } });
    });

    it('moves a service account’s secret on rename; it is no orphan before or after', async () => {
      const target = await start();
      const before = name('robot');
      const after = name('robot renamed');
      const { clientId, clientSecret } = server.serviceClient;
      await target.services.handlers.addServiceAccount({
        name: before,
        dataBaseUrl: server.dataApiUrl,
        clientId,
        clientSecret,
      });
      const account = (profile: string) =>
        accountIdFor({ name: profile, authServer: server.dataApiUrl });
      const ourOrphans = async () => {
        const status = await target.services.handlers.getKeychainStatus({});
        return status.ok ? status.value.orphans.filter((a) => a.includes(tag)) : null;
      };
      expect(await ourOrphans()).toEqual([]);

      await target.services.handlers.renameProfile({ name: before, newName: after });

      expect(await secretIn(account(after))).toBe(clientSecret);
      expect(await secretIn(account(before))).toBeNull();
      expect(await ourOrphans()).toEqual([]);
      expect(
        await target.services.handlers.refreshToken({ profile: after }),
      ).toMatchObject({ ok: true, value: { refreshed: true } });
    });

    it('signing out removes the keychain entry and revokes it', async () => {
      const target = await start();
      const profile = name('leaving');
      await signIn(target, profile);
      const secret = (await secretIn(userAccount(profile))) ?? '';

      const out = await target.services.handlers.signOut({ profile });

      expect(out).toMatchObject({
        ok: true,
        value: { description: expect.stringMatching(/revoked/) },
      });
      expect(await secretIn(userAccount(profile))).toBeNull();
      expect(timesSent(target, secret)).toBe(1);
      expect(valueIn(await target.readConfig(), profile, 'TOKEN')).toBe('');
    });

    it('removes the keychain entry when a profile is deleted, and puts it back on undo', async () => {
      const target = await start();
      const profile = name('doomed');
      await signIn(target, profile);
      const secret = await secretIn(userAccount(profile));

      const deleted = await target.services.handlers.deleteProfile({ name: profile });

      expect(deleted).toMatchObject({ ok: true });
      expect(await secretIn(userAccount(profile))).toBeNull();
      if (!deleted.ok || deleted.value.undo === undefined) throw new Error('no undo');
      const undone = await target.services.handlers.undoDeleteProfile({
        undoId: deleted.value.undo.undoId,
      });
      expect(undone).toMatchObject({ ok: true });
      expect(await secretIn(userAccount(profile))).toBe(secret);
      expect(await target.services.handlers.refreshToken({ profile })).toMatchObject({
        ok: true,
        value: { refreshed: true },
      });

      const again = await target.services.handlers.deleteProfile({ name: profile });
      expect(again).toMatchObject({ ok: true });
      expect(await secretIn(userAccount(profile))).toBeNull();
    });

    it('says the sign-in is not in the keychain when its entry has gone', async () => {
      const target = await start();
      const profile = name('lost');
      await signIn(target, profile);
      await keychain.deleteSecret(userAccount(profile));

      const refreshed = await target.services.handlers.refreshToken({ profile });
      await target.services.handlers.updateProfile({
        name: profile,
        fields: { TOKEN_EXPIRES: Date.now() / 1000 + 30 },
      });
      const copied = await target.services.handlers.getTokenForCopy({ profile });

      for (const result of [refreshed, copied]) {
        expect(result).toEqual({
          ok: false,
          error: {
            code: 'bad-request',
            message:
              'Sign-in not found in the keychain: sign in again to renew this profile’s token.',
          },
        });
      }
    });

    it('says a service account’s secret is not in the keychain when its entry has gone', async () => {
      const target = await start();
      const profile = name('robot');
      const { clientId, clientSecret } = server.serviceClient;
      await target.services.handlers.addServiceAccount({
        name: profile,
        dataBaseUrl: server.dataApiUrl,
        clientId,
        clientSecret,
      });
      await keychain.deleteSecret(
        accountIdFor({ name: profile, authServer: server.dataApiUrl }),
      );

      const refreshed = await target.services.handlers.refreshToken({ profile });

      expect(refreshed).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/Sign-in not found in the keychain/) },
      });
    });
  },
);
