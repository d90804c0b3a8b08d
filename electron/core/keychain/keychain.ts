import type { Logger } from '../logger.js';
import { findOrphanAccounts, type ProfileIdentity } from './account-id.js';
import {
  classifyKeychainError,
  keychainFailure,
  windowsCredentialLimitBytes,
  type FailureContext,
  type KeychainErrorKind,
  type KeychainFailure,
} from './keychain-errors.js';
import {
  loadDefaultKeytar,
  type KeytarLike,
  type KeytarLoadResult,
} from './load-keytar.js';

/** The service name every entry of the app is filed under. */
export const keychainService = 'Doover Profiles';

/**
 * Health checks write and delete an account starting with this; each check
 * uses its own, so two checks at once cannot read each other's probe.
 */
export const healthProbePrefix = 'Doover Profiles health check ';

/** Whether an account is a health probe rather than a profile's entry. */
export function isHealthProbeAccount(account: string): boolean {
  return account.startsWith(healthProbePrefix);
}

export const defaultKeychainTimeoutMs = 3000;

export type KeychainResult<T> =
  { ok: true; value: T } | { ok: false; error: KeychainFailure };

/** The OS keychain, seen through the app's one service. Calls never throw. */
export interface Keychain {
  /** The secret stored for an account, or null when there is none. */
  getSecret(account: string): Promise<KeychainResult<string | null>>;
  setSecret(account: string, secret: string): Promise<KeychainResult<void>>;
  /** True when an entry was removed, false when there was none. */
  deleteSecret(account: string): Promise<KeychainResult<boolean>>;
  /** Every account stored under the app's service. */
  findAccounts(): Promise<KeychainResult<string[]>>;
}

export interface KeychainOptions {
  /** A keytar-shaped object to use instead of loading the module. */
  keytar?: KeytarLike;
  /** How to load keytar; by default the real module, once per process. */
  loader?: () => KeytarLoadResult | Promise<KeytarLoadResult>;
  /** How long one call may take before it is reported as 'timeout'. */
  timeoutMs?: number;
  platform?: NodeJS.Platform;
  log?: Logger;
}

type Settled<T> =
  | { status: 'value'; value: T }
  | { status: 'error'; error: unknown }
  | { status: 'timeout' };

/**
 * The keychain behind keytar, loaded on first use. Every call is bounded by a
 * timeout (a keyring waiting on an unlock prompt nobody sees would otherwise
 * hang the caller) and every failure comes back as one of the closed kinds.
 *
 * LIMITATION: a call that timed out is not cancelled (keytar cannot cancel),
 * so a write reported as 'timeout' may still land later. Callers treat a
 * timeout as "unknown", never as "not written".
 */
export function createKeychain(options: KeychainOptions = {}): Keychain {
  const context: FailureContext = {
    platform: options.platform ?? process.platform,
    timeoutMs: options.timeoutMs ?? defaultKeychainTimeoutMs,
  };
  const load = memoizedLoader(options);
  const log = options.log;

  async function call<T>(
    operation: string,
    run: (keytar: KeytarLike) => Promise<T>,
  ): Promise<KeychainResult<T>> {
    const loaded = await load();
    if (!loaded.ok) {
      log?.warn({ operation, detail: loaded.detail }, 'keychain module unavailable');
      return failure('unavailable', { ...context, unavailableReason: loaded.reason });
    }

    const settled = await settleWithin(() => run(loaded.keytar), context.timeoutMs);
    if (settled.status === 'value') {
      return { ok: true, value: settled.value };
    }

    const kind =
      settled.status === 'timeout' ? 'timeout' : classifyKeychainError(settled.error);
    log?.warn({ operation, kind, detail: errorText(settled) }, 'keychain call failed');

    return failure(kind, context);
  }

  return {
    getSecret: (account) =>
      call('get', (keytar) => keytar.getPassword(keychainService, account)),
    setSecret: async (account, secret) => {
      if (context.platform === 'win32' && exceedsWindowsLimit(secret)) {
        return failure('too-large', context);
      }
      return call('set', (keytar) =>
        keytar.setPassword(keychainService, account, secret),
      );
    },
    deleteSecret: (account) =>
      call('delete', (keytar) => keytar.deletePassword(keychainService, account)),
    findAccounts: () =>
      call('find', async (keytar) => {
        const credentials = await keytar.findCredentials(keychainService);
        return credentials.map((credential) => credential.account);
      }),
  };
}

/**
 * Accounts in the keychain that belong to no current profile (deleted,
 * renamed or re-pointed at another server), for the user to review.
 */
export async function listOrphanAccounts(
  keychain: Keychain,
  identities: readonly ProfileIdentity[],
): Promise<KeychainResult<string[]>> {
  const found = await keychain.findAccounts();
  if (!found.ok) {
    return found;
  }

  return {
    ok: true,
    value: findOrphanAccounts(found.value, identities, isHealthProbeAccount),
  };
}

/** Whether a secret would be refused by Windows Credential Manager. */
export function exceedsWindowsLimit(secret: string): boolean {
  return Buffer.byteLength(secret, 'utf8') > windowsCredentialLimitBytes;
}

function memoizedLoader(options: KeychainOptions): () => Promise<KeytarLoadResult> {
  let loading: Promise<KeytarLoadResult> | undefined;
  const keytar = options.keytar;
  const loader =
    keytar === undefined
      ? (options.loader ?? loadDefaultKeytar)
      : () => ({ ok: true as const, keytar });

  return () => {
    loading ??= Promise.resolve()
      .then(loader)
      .catch((error: unknown) => ({
        ok: false as const,
        reason: 'the keychain module could not be loaded',
        detail: error instanceof Error ? error.message : String(error),
      }));

    return loading;
  };
}

function settleWithin<T>(run: () => Promise<T>, timeoutMs: number): Promise<Settled<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ status: 'timeout' }), timeoutMs);
    Promise.resolve()
      .then(run)
      .then(
        (value) => resolve({ status: 'value', value }),
        (error: unknown) => resolve({ status: 'error', error }),
      )
      .finally(() => clearTimeout(timer));
  });
}

function failure<T>(kind: KeychainErrorKind, context: FailureContext): KeychainResult<T> {
  return { ok: false, error: keychainFailure(kind, context) };
}

function errorText(settled: Settled<unknown>): string | undefined {
  if (settled.status !== 'error') {
    return undefined;
  }

  return settled.error instanceof Error ? settled.error.message : String(settled.error);
}
