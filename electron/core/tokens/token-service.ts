import type { ProfileFieldChanges } from '../../../shared/profile-types.js';
import type { Result } from '../../../shared/result.js';
import {
  authFailure,
  failed,
  type AuthFailure,
  type AuthResult,
} from '../auth/auth-failure.js';
import type { AuthHttp } from '../auth/auth-http.js';
import { requestServiceToken } from '../auth/client-credentials.js';
import type { DiscoveryClient } from '../auth/discovery.js';
import { readClaims, type TokenFields } from '../auth/issued-tokens.js';
import {
  ProfileRefresher,
  type ProfileToken,
  type StoredSignIn,
} from '../auth/profile-refresh.js';
import { withRefreshLock, type RefreshLockOptions } from '../auth/refresh-lock.js';
import { TokenRefresher } from '../auth/refresh.js';
import { SingleFlight } from '../auth/timing.js';
import type { KeychainFailure } from '../keychain/keychain-errors.js';
import type { Keychain } from '../keychain/keychain.js';
import type { Logger } from '../logger.js';
import { effectiveExpiry } from '../profiles-file/expiry.js';
import type { ProfilePatch } from '../profiles-file/patch.js';
import { fieldOf, SharedProfileReads, type ProfileValues } from './profile-values.js';
import { secretAccountFromValues } from './sign-in-identity.js';
import type { SettingsStore } from './settings-store.js';
import { recordAttempt, type RefreshRecorder } from './refresh-log.js';
import type { RefreshTrigger } from '../../../shared/token-types.js';

const MISSING_IN_KEYCHAIN =
  'Sign-in not found in the keychain: sign in again to renew this profile’s token.';

/** Applies one patch to the profiles file, in one write. */
export type ProfilesWriter = (patch: ProfilePatch) => Promise<Result<unknown>>;

export interface TokenServiceDeps {
  profilesPath: string;
  /** The folder of the cross-process refresh locks, shared with the command line. */
  lockDir: string;
  keychain: Keychain;
  settings: SettingsStore;
  /** fetch, a (skew-corrected) clock and the skew tracker. */
  http: AuthHttp;
  discovery: DiscoveryClient;
  write: ProfilesWriter;
  log: Logger;
  /** Where every renewal attempt is recorded, with what started it. */
  refreshLog?: RefreshRecorder;
}

export interface RefreshOptions {
  /** A stored token valid at least this many seconds more is returned as it is. */
  unlessValidForSeconds?: number;
  /** What started this renewal, for the renewal log; 'button' when not said. */
  trigger?: RefreshTrigger;
}

/** A token, or why there is none; `keychain` is set when the keychain was the reason. */
export type TokenOutcome =
  | { ok: true; value: ProfileToken & { issuedAt: number | null } }
  | { ok: false; failure: AuthFailure; keychain?: KeychainFailure };

/** A keychain failure carried through code that only knows thrown errors. */
class KeychainReadError extends Error {
  constructor(readonly failure: KeychainFailure) {
    super(failure.message);
  }
}

/**
 * Renews profiles' tokens where their sign-ins live: a refresh token in the
 * file or in the keychain, or a service account's client secret in the
 * keychain. One renewal per profile at a time in this process, and the
 * cross-process lock around read, renew and write.
 */
export class TokenService {
  readonly #deps: TokenServiceDeps;
  readonly #userRefresher: ProfileRefresher;
  readonly #serviceFlights = new SingleFlight<TokenOutcome>();
  readonly #lock: RefreshLockOptions;
  /** Reads under a lock, shared by renewals that took their locks together. */
  readonly #reads: SharedProfileReads;
  /** Why the keychain could not give a profile's refresh token, during its refresh. */
  readonly #keychainFailures = new Map<string, KeychainFailure>();
  /** Profiles whose keychain entry was missing during their refresh. */
  readonly #missingInKeychain = new Set<string>();
  /** Renewals (by threshold and profile) being recorded: one that joins them is not logged twice. */
  readonly #recording = new Set<string>();
  /** Every renewal under way, so that stopping can wait for their saves. */
  readonly #running = new Set<Promise<TokenOutcome>>();

  constructor(deps: TokenServiceDeps) {
    this.#deps = deps;
    this.#lock = { lockDir: deps.lockDir, clock: deps.http.clock, log: deps.log };
    this.#reads = new SharedProfileReads(deps.profilesPath);
    this.#userRefresher = new ProfileRefresher({
      refresher: new TokenRefresher({
        ...deps.http,
        discovery: deps.discovery,
        log: deps.log,
      }),
      lock: this.#lock,
      readSignIn: (profile) => this.#readSignIn(profile),
      saveTokens: (profile, fields) => this.#saveTokens(profile, fields),
      clock: deps.http.clock,
      log: deps.log,
    });
  }

  /**
   * A fresh token for `profile`. With `unlessValidForSeconds`, a stored token
   * valid at least that long is returned as it is (Copy, the command line).
   */
  refresh(profile: string, options: RefreshOptions = {}): Promise<TokenOutcome> {
    const running = this.#refreshRecorded(profile, options);
    this.#running.add(running);
    void running.finally(() => this.#running.delete(running));

    return running;
  }

  /**
   * Resolves once every renewal under way has finished, its new tokens stored
   * or its failure told: stopping then never leaves a save half-done.
   */
  async settled(): Promise<void> {
    while (this.#running.size > 0) {
      await Promise.allSettled([...this.#running]);
    }
  }

  async #refreshRecorded(
    profile: string,
    options: RefreshOptions,
  ): Promise<TokenOutcome> {
    const { trigger = 'button', ...rest } = options;
    const key = `${rest.unlessValidForSeconds ?? 'always'}\n${profile}`;
    if (this.#recording.has(key)) {
      return this.#refreshUnrecorded(profile, rest);
    }

    this.#recording.add(key);
    try {
      return await recordAttempt(
        this.#deps.refreshLog,
        { profile, trigger, now: () => this.#localNow() },
        () => this.#refreshUnrecorded(profile, rest),
      );
    } finally {
      this.#recording.delete(key);
    }
  }

  /** The computer's own time, in which the renewal log is kept and shown. */
  #localNow(): number {
    const { clock, clockSkew } = this.#deps.http;
    const now = clock.now();

    return clock === clockSkew ? clockSkew.toLocal(now) : now;
  }

  async #refreshUnrecorded(
    profile: string,
    options: { unlessValidForSeconds?: number },
  ): Promise<TokenOutcome> {
    if (this.#deps.settings.profile(profile).kind === 'service-account') {
      const key = `${options.unlessValidForSeconds ?? 'always'}\n${profile}`;
      return this.#serviceFlights.run(key, () =>
        this.#renewServiceAccount(profile, options.unlessValidForSeconds),
      );
    }

    const result = withIssuedAt(await this.#userRefresher.refresh(profile, options));
    const keychain = this.#keychainFailures.get(profile);
    this.#keychainFailures.delete(profile);
    // The refresher words any read failure as an unreadable profile; the file is fine here.
    const missing = this.#missingInKeychain.delete(profile);
    if (!result.ok && missing) {
      return failed(authFailure('cannot-refresh', MISSING_IN_KEYCHAIN));
    }

    return !result.ok && keychain !== undefined ? { ...result, keychain } : result;
  }

  /** The refresh token of a user profile, wherever it lives; null when it has none. */
  async readRefreshToken(profile: string, values: ProfileValues): Promise<string | null> {
    const settings = this.#deps.settings.profile(profile);
    if (settings.signInStore === 'file') {
      return fieldOf(values, 'REFRESH_TOKEN');
    }

    const account = secretAccountFromValues(profile, settings.kind, values);
    const read = await this.#deps.keychain.getSecret(account);
    if (!read.ok) {
      this.#keychainFailures.set(profile, read.error);
      throw new KeychainReadError(read.error);
    }

    return read.value === '' ? null : read.value;
  }

  async #readSignIn(profile: string): Promise<StoredSignIn | null> {
    const values = await this.#reads.values(profile);
    if (values === null) {
      return null;
    }
    const token = fieldOf(values, 'TOKEN');
    const refreshToken = await this.readRefreshToken(profile, values);
    if (
      refreshToken === null &&
      this.#deps.settings.profile(profile).signInStore === 'keychain'
    ) {
      this.#missingInKeychain.add(profile);
      throw new Error(MISSING_IN_KEYCHAIN);
    }

    return {
      token,
      expiresAt: expiryOf(values, token),
      authServerUrl: fieldOf(values, 'AUTH_SERVER_URL'),
      clientId: fieldOf(values, 'AUTH_SERVER_CLIENT_ID') ?? '',
      refreshToken: refreshToken ?? '',
    };
  }

  /**
   * Stores new tokens in one patch. A rotated refresh token goes where the
   * sign-in lives; into the keychain first, so a failed file write leaves
   * the newest refresh token stored, never lost.
   */
  async #saveTokens(profile: string, fields: TokenFields): Promise<void> {
    const settings = this.#deps.settings.profile(profile);
    const changes: ProfileFieldChanges = {
      TOKEN: fields.TOKEN,
      TOKEN_EXPIRES: fields.TOKEN_EXPIRES,
    };
    if (fields.REFRESH_TOKEN_ID !== undefined) {
      changes.REFRESH_TOKEN_ID = fields.REFRESH_TOKEN_ID;
    }
    if (fields.REFRESH_TOKEN !== undefined && settings.signInStore === 'file') {
      changes.REFRESH_TOKEN = fields.REFRESH_TOKEN;
    } else if (fields.REFRESH_TOKEN !== undefined) {
      await this.#storeInKeychain(profile, fields.REFRESH_TOKEN);
    }

    await this.#writeOrThrow({ kind: 'update', profile, fields: changes });
  }

  async #storeInKeychain(profile: string, secret: string): Promise<void> {
    const values = await this.#reads.values(profile);
    const kind = this.#deps.settings.profile(profile).kind;
    const account = secretAccountFromValues(profile, kind, values ?? new Map());
    const written = await this.#deps.keychain.setSecret(account, secret);
    if (!written.ok) {
      throw new Error(written.error.message);
    }
  }

  async #writeOrThrow(patch: ProfilePatch): Promise<void> {
    const written = await this.#deps.write(patch);
    if (!written.ok) {
      throw new Error(written.error.message);
    }
  }

  async #renewServiceAccount(
    profile: string,
    threshold: number | undefined,
  ): Promise<TokenOutcome> {
    try {
      const locked = await withRefreshLock(profile, this.#lock, () =>
        this.#serviceAccountLocked(profile, threshold),
      );
      return locked.ok ? locked.value : locked;
    } catch (error) {
      return readFailure(error);
    }
  }

  async #serviceAccountLocked(
    profile: string,
    threshold: number | undefined,
  ): Promise<TokenOutcome> {
    const values = await this.#reads.values(profile);
    if (values === null) {
      return failed(authFailure('no-profile', `There is no profile named "${profile}".`));
    }
    const current = stillValid(values, threshold, this.#deps.http.clock.now());
    if (current !== null) {
      return { ok: true, value: current };
    }

    const settings = this.#deps.settings.profile(profile);
    const account = secretAccountFromValues(profile, settings.kind, values);
    const secret = await this.#deps.keychain.getSecret(account);
    if (!secret.ok) {
      return keychainOutcome(secret.error);
    }
    if (secret.value === null) {
      return failed(
        authFailure(
          'cannot-refresh',
          'Sign-in not found in the keychain: add the service account again.',
        ),
      );
    }

    const dataBaseUrl = fieldOf(values, 'BASE_DATA_URL');
    const issued = await requestServiceToken(
      {
        dataBaseUrl,
        clientId: settings.serviceAccountClientId ?? '',
        clientSecret: secret.value,
      },
      { ...this.#deps.http, log: this.#deps.log },
    );
    if (!issued.ok) {
      return issued;
    }

    const { TOKEN, TOKEN_EXPIRES } = issued.value.fields;
    const saved = await this.#deps.write({
      kind: 'update',
      profile,
      fields: {
        TOKEN,
        TOKEN_EXPIRES,
        ...(dataBaseUrl === null ? {} : { BASE_DATA_URL: dataBaseUrl }),
      },
    });
    if (!saved.ok) {
      return failed(
        authFailure(
          'not-saved',
          `The new token could not be stored: ${saved.error.message}`,
        ),
      );
    }

    return {
      ok: true,
      value: {
        token: TOKEN,
        expiresAt: TOKEN_EXPIRES,
        refreshed: true,
        signedInAs: null,
        issuedAt: issuedAtOf(TOKEN),
      },
    };
  }
}

function expiryOf(values: ProfileValues, token: string | null): number | null {
  const text = fieldOf(values, 'TOKEN_EXPIRES');
  const seconds = text === null ? null : Number(text);

  return effectiveExpiry(Number.isFinite(seconds) ? seconds : null, token).expiresAt;
}

/** A service account's stored token when it stays valid `threshold` seconds more. */
function stillValid(
  values: ProfileValues,
  threshold: number | undefined,
  nowMs: number,
): (ProfileToken & { issuedAt: number | null }) | null {
  const token = fieldOf(values, 'TOKEN');
  if (threshold === undefined || token === null) {
    return null;
  }
  const expiresAt = expiryOf(values, token);
  const good = expiresAt === null || expiresAt * 1000 > nowMs + threshold * 1000;

  return good
    ? {
        token,
        expiresAt,
        refreshed: false,
        signedInAs: null,
        issuedAt: issuedAtOf(token),
      }
    : null;
}

/** The token's `iat` in POSIX seconds, or null. */
export function issuedAtOf(token: string): number | null {
  const iat = readClaims(token)?.iat;

  return typeof iat === 'number' && Number.isFinite(iat) ? iat : null;
}

function withIssuedAt(result: AuthResult<ProfileToken>): TokenOutcome {
  return result.ok
    ? { ok: true, value: { ...result.value, issuedAt: issuedAtOf(result.value.token) } }
    : result;
}

function keychainOutcome(failure: KeychainFailure): TokenOutcome {
  return {
    ok: false,
    failure: authFailure('unreadable', failure.message),
    keychain: failure,
  };
}

function readFailure(error: unknown): TokenOutcome {
  if (error instanceof KeychainReadError) {
    return keychainOutcome(error.failure);
  }
  const message = error instanceof Error ? error.message : 'unknown error';

  return failed(authFailure('unreadable', `The profile could not be read: ${message}`));
}
