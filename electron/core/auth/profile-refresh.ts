import type { Clock } from '../app-services.js';
import type { Logger } from '../logger.js';
import {
  authFailure,
  cancelledFailure,
  failed,
  type AuthResult,
} from './auth-failure.js';
import { plainServerText } from './auth-http.js';
import type { TokenFields } from './issued-tokens.js';
import type { RefreshCredentials, TokenRefresher } from './refresh.js';
import { withRefreshLock, type RefreshLockOptions } from './refresh-lock.js';
import { SingleFlight, whileNotAborted } from './timing.js';

/** A profile's sign-in as stored now (in the file, the refresh token maybe in the keychain). */
export interface StoredSignIn extends RefreshCredentials {
  /** TOKEN, or null when the profile has none. */
  token: string | null;
  /** When TOKEN expires in POSIX seconds (TOKEN_EXPIRES, else its `exp`), or null. */
  expiresAt: number | null;
}

export interface ProfileRefreshDeps {
  refresher: TokenRefresher;
  /** The cross-process lock; `lockDir` is shared by every process of the app. */
  lock: RefreshLockOptions;
  /** Reads the profile's current sign-in; null when there is no such profile. */
  readSignIn(profile: string): Promise<StoredSignIn | null>;
  /** Stores new tokens in the profile, in one write. Throws with a plain message on failure. */
  saveTokens(profile: string, fields: TokenFields): Promise<void>;
  /** Decides whether a stored token is still good; a skew-corrected clock fits best. */
  clock: Clock;
  log?: Logger;
}

export interface ProfileRefreshOptions {
  /**
   * Keep the stored token when it stays valid at least this many seconds
   * (Copy and the command line use 60). When omitted, always refresh.
   */
  unlessValidForSeconds?: number;
  /** Stops this caller waiting; a refresh already sent goes on and is stored. */
  signal?: AbortSignal;
}

/** A usable token of a profile. */
export interface ProfileToken {
  token: string;
  /** POSIX seconds, or null when unknown. */
  expiresAt: number | null;
  /** False when the stored token was still good and no request was made. */
  refreshed: boolean;
  /** Who the new token is for; null when not refreshed or unknown. */
  signedInAs: string | null;
}

/**
 * Refreshes profiles end to end: one refresh per profile at a time in this
 * process (callers share it), and across processes the refresh lock held
 * over "read the profile, refresh, store the new tokens". A failure leaves
 * the stored profile exactly as it was.
 */
export class ProfileRefresher {
  readonly #deps: ProfileRefreshDeps;
  readonly #flights = new SingleFlight<AuthResult<ProfileToken>>();

  constructor(deps: ProfileRefreshDeps) {
    this.#deps = deps;
  }

  /** A fresh token for `profile`, or why there is none. */
  refresh(
    profile: string,
    options: ProfileRefreshOptions = {},
  ): Promise<AuthResult<ProfileToken>> {
    const threshold = options.unlessValidForSeconds;
    const key = `${threshold ?? 'always'}\n${profile}`;
    const flight = this.#flights.run(key, () => this.#refreshLocked(profile, threshold));

    return whileNotAborted(flight, options.signal, () =>
      failed(cancelledFailure(options.signal, 'The refresh')),
    );
  }

  async #refreshLocked(
    profile: string,
    threshold: number | undefined,
  ): Promise<AuthResult<ProfileToken>> {
    const locked = await withRefreshLock(profile, this.#deps.lock, () =>
      this.#readRefreshSave(profile, threshold),
    );

    return locked.ok ? locked.value : locked;
  }

  async #readRefreshSave(
    profile: string,
    threshold: number | undefined,
  ): Promise<AuthResult<ProfileToken>> {
    const stored = await this.#read(profile);
    if (!stored.ok) {
      return stored;
    }
    // Read under the lock: another process may have refreshed a moment ago.
    const current = stillValid(stored.value, threshold, this.#deps.clock);
    if (current !== null) {
      return { ok: true, value: current };
    }

    const result = await this.#deps.refresher.refresh(stored.value);
    if (!result.ok) {
      return result;
    }

    return this.#save(profile, result.value.fields, result.value.signedInAs);
  }

  async #read(profile: string): Promise<AuthResult<StoredSignIn>> {
    try {
      const stored = await this.#deps.readSignIn(profile);
      return stored === null
        ? failed(authFailure('no-profile', `There is no profile named "${profile}".`))
        : { ok: true, value: stored };
    } catch (error) {
      return failed(
        authFailure('unreadable', `The profile could not be read: ${messageOf(error)}`),
      );
    }
  }

  async #save(
    profile: string,
    fields: TokenFields,
    signedInAs: string | null,
  ): Promise<AuthResult<ProfileToken>> {
    try {
      await this.#deps.saveTokens(profile, fields);
    } catch (error) {
      // The refresher remembers a rotated result, so trying again soon stores it without a new request.
      this.#deps.log?.error('storing refreshed tokens failed');
      return failed(
        authFailure(
          'not-saved',
          `The new token could not be stored: ${messageOf(error)}`,
        ),
      );
    }

    return {
      ok: true,
      value: {
        token: fields.TOKEN,
        expiresAt: fields.TOKEN_EXPIRES,
        refreshed: true,
        signedInAs,
      },
    };
  }
}

/**
 * The stored token when it stays valid long enough. An unknown expiry counts
 * as valid, as pydoover assumes.
 */
function stillValid(
  stored: StoredSignIn,
  threshold: number | undefined,
  clock: Clock,
): ProfileToken | null {
  if (threshold === undefined || stored.token === null || stored.token === '') {
    return null;
  }
  const validLongEnough =
    stored.expiresAt === null || stored.expiresAt * 1000 > clock.now() + threshold * 1000;

  return validLongEnough
    ? {
        token: stored.token,
        expiresAt: stored.expiresAt,
        refreshed: false,
        signedInAs: null,
      }
    : null;
}

/** An error's message, with anything token-shaped hidden in case a caller put one in. */
function messageOf(error: unknown): string {
  return error instanceof Error && error.message !== ''
    ? plainServerText(error.message)
    : 'unknown error';
}
