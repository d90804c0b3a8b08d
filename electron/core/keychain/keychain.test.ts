import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accountIdFor, type ProfileIdentity } from './account-id.js';
import { checkKeychainHealth } from './keychain-health.js';
import { createKeychain, healthProbePrefix, listOrphanAccounts } from './keychain.js';
import { loadKeytar, type KeytarLike } from './load-keytar.js';

// Tests against a real Secret Service run only when asked for, so that they
// never touch a developer's own keyring, and then they must pass: run them
// through e2e/support/with-keyring.sh, which sets DOOVER_TEST_KEYRING=1
// inside a private D-Bus session with a throw-away keyring.
const keyringRequired = process.env.DOOVER_TEST_KEYRING === '1';
if (!keyringRequired) {
  console.info(
    '[keychain.test] Skipping the real-keyring tests: DOOVER_TEST_KEYRING is not 1. Run them with e2e/support/with-keyring.sh npx vitest run electron/core/keychain',
  );
}

const fixedNow = Date.UTC(2026, 0, 2);
const clock = { now: () => fixedNow };

/** A keytar-shaped object whose calls never answer: a keyring stuck on a prompt. */
const unanswering: KeytarLike = {
  getPassword: () => new Promise(() => undefined),
  setPassword: () => new Promise(() => undefined),
  deletePassword: () => new Promise(() => undefined),
  findCredentials: () => new Promise(() => undefined),
};

describe('a keychain that does not answer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports a timeout after 3 s, as its own error', async () => {
    const keychain = createKeychain({ keytar: unanswering, platform: 'linux' });
    let settled = false;
    const pending = keychain.getSecret('a').finally(() => {
      settled = true;
    });

    await vi.advanceTimersByTimeAsync(2999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    expect(await pending).toEqual({
      ok: false,
      error: { kind: 'timeout', message: 'The keychain did not answer within 3 s.' },
    });
  });

  it('bounds every call, the health check included', async () => {
    const keychain = createKeychain({ keytar: unanswering, timeoutMs: 500 });
    const calls = Promise.all([
      keychain.setSecret('a', 'secret'),
      keychain.deleteSecret('a'),
      keychain.findAccounts(),
      checkKeychainHealth(keychain, { clock, platform: 'linux' }),
    ]);

    await vi.advanceTimersByTimeAsync(500);
    const [set, deleted, found, health] = await calls;

    for (const result of [set, deleted, found]) {
      expect(result).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    }
    expect(health).toEqual({
      state: 'timeout',
      message:
        'The keychain did not answer within 0.5 s. It may be waiting for an unlock prompt. New sign-ins will be kept in the config file until it answers.',
      checkedAt: fixedNow,
    });
  });
});

describe('without the keychain module', () => {
  const missing = () => loadKeytar({ moduleId: 'keytar-that-is-not-installed' });

  it('loads the real module when it is installed', () => {
    expect(loadKeytar()).toMatchObject({ ok: true });
  });

  it('answers with a reason instead of throwing', () => {
    expect(missing()).toMatchObject({
      ok: false,
      reason: 'the keychain module is not installed',
    });
    expect(loadKeytar({ moduleId: 'node:path' })).toMatchObject({
      ok: false,
      reason: 'the keychain module is incomplete',
    });
  });

  it('reports every call and the health check as unavailable', async () => {
    const keychain = createKeychain({ loader: missing });

    expect(await keychain.getSecret('a')).toEqual({
      ok: false,
      error: {
        kind: 'unavailable',
        message: 'Keychain unavailable: the keychain module is not installed.',
      },
    });
    expect(await keychain.findAccounts()).toMatchObject({
      error: { kind: 'unavailable' },
    });
    expect(await checkKeychainHealth(keychain, { clock })).toEqual({
      state: 'unavailable',
      message:
        'Keychain unavailable: the keychain module is not installed. New sign-ins will be kept in the config file.',
      checkedAt: fixedNow,
    });
  });

  it('treats a loader that throws like a missing module', async () => {
    const keychain = createKeychain({
      loader: () => {
        throw new Error('ABI mismatch');
      },
    });

    expect(await keychain.deleteSecret('a')).toMatchObject({
      ok: false,
      error: {
        kind: 'unavailable',
        message: 'Keychain unavailable: the keychain module could not be loaded.',
      },
    });
  });
});

describe('on Windows', () => {
  const refusing: KeytarLike = {
    ...unanswering,
    setPassword: () => Promise.reject(new Error('the size check must come first')),
  };

  it('refuses a secret over 2,560 bytes before calling the Credential Manager', async () => {
    const keychain = createKeychain({ keytar: refusing, platform: 'win32' });
    const largest = 'é'.repeat(1280);

    expect(await keychain.setSecret('a', `${largest}x`)).toMatchObject({
      ok: false,
      error: { kind: 'too-large' },
    });
    expect(await keychain.setSecret('a', largest)).toMatchObject({
      ok: false,
      error: { kind: 'failed' },
    });
  });
});

describe.runIf(keyringRequired)('with a real Secret Service', () => {
  const keychain = createKeychain();
  // Other test files use the same keyring at the same time: this one touches
  // only the accounts of these identities.
  const identities: ProfileIdentity[] = [
    { name: 'keychain.test default', authServer: null },
    {
      name: 'keychain.test my.profile [eu] = "x"; #1',
      authServer: 'https://auth.staging.udoover.com',
    },
    {
      name: 'keychain.test ünïcødé 😀 @home',
      authServer: 'https://auth.example.com/tenant/',
    },
  ];
  const renamed = { name: 'keychain.test renamed', authServer: null };
  const repointed = { ...renamed, name: identities[1]?.name ?? '' };
  const ours = [...identities, renamed, repointed].map(accountIdFor);
  const [first = '', second = '', third = ''] = identities.map(accountIdFor);

  async function ourAccounts(): Promise<string[]> {
    const found = await keychain.findAccounts();
    expect(found.ok).toBe(true);
    return (found.ok ? found.value : [])
      .filter((account) => ours.includes(account))
      .sort();
  }

  async function removeOurEntries(): Promise<void> {
    for (const account of ours) {
      expect((await keychain.deleteSecret(account)).ok).toBe(true);
    }
  }

  beforeEach(removeOurEntries);
  afterEach(removeOurEntries);

  it('stores, reads, lists and deletes secrets', async () => {
    const accounts = [first, second, third];
    for (const [index, account] of accounts.entries()) {
      expect(await keychain.setSecret(account, `refresh-token-${index}`)).toEqual({
        ok: true,
        value: undefined,
      });
    }

    for (const [index, account] of accounts.entries()) {
      expect(await keychain.getSecret(account)).toEqual({
        ok: true,
        value: `refresh-token-${index}`,
      });
    }
    expect(await ourAccounts()).toEqual([...accounts].sort());

    expect(await keychain.deleteSecret(first)).toEqual({ ok: true, value: true });
    expect(await keychain.deleteSecret(first)).toEqual({ ok: true, value: false });
    expect(await keychain.getSecret(first)).toEqual({ ok: true, value: null });
    expect(await ourAccounts()).toEqual([second, third].sort());
  });

  it('replaces a secret and keeps large and unusual ones intact', async () => {
    const large = `eyJ${'x'.repeat(8000)}\n\t"'; é 😀`;

    await keychain.setSecret(third, 'first');
    await keychain.setSecret(third, large);

    expect(await keychain.getSecret(third)).toEqual({ ok: true, value: large });
    expect(await ourAccounts()).toEqual([third]);
  });

  it('lists the entries whose profile no longer exists', async () => {
    const probe = `${healthProbePrefix}left by a crash`;
    for (const account of [first, second, third, probe]) {
      await keychain.setSecret(account, 'token');
    }
    // `first` was renamed and `second` re-pointed at another server.
    const current = [identities[2] ?? renamed, renamed, repointed];

    const orphans = await listOrphanAccounts(keychain, current);

    await keychain.deleteSecret(probe);
    expect(orphans.ok && orphans.value).not.toContain(probe);
    const ourOrphans = (orphans.ok ? orphans.value : []).filter((a) => ours.includes(a));
    expect(ourOrphans.sort()).toEqual([first, second].sort());
  });

  it('reports a healthy keychain and leaves no probe behind', async () => {
    const probe = `${healthProbePrefix}keychain.test`;
    const health = await checkKeychainHealth(keychain, {
      clock,
      probeId: 'keychain.test',
    });

    expect(health).toEqual({
      state: 'ok',
      message: 'The keychain is working: new sign-ins are kept in it.',
      checkedAt: fixedNow,
    });
    expect(await keychain.getSecret(probe)).toEqual({ ok: true, value: null });
    const found = await keychain.findAccounts();
    expect(found.ok && found.value).not.toContain(probe);
  });

  it('stores any size on Linux, where there is no 2,560-byte limit', async () => {
    const large = 'x'.repeat(4000);

    expect(await keychain.setSecret(first, large)).toMatchObject({ ok: true });
    expect(await keychain.getSecret(first)).toEqual({ ok: true, value: large });
  });
});
