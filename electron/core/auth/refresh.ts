import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import {
  authFailure,
  cancelledFailure,
  failed,
  type AuthFailure,
  type AuthResult,
} from './auth-failure.js';
import { serverBaseUrl, type AuthHttp, type ServerTime } from './auth-http.js';
import type { DiscoveryClient } from './discovery.js';
import { signedInAs, tokenExpiresAt, type TokenFields } from './issued-tokens.js';
import {
  postTokenRequest,
  type TokenOutcome,
  type TokenResponse,
} from './token-endpoint.js';
import { SingleFlight, whileNotAborted } from './timing.js';

/** The auth server pydoover uses when a profile names none. */
export const DEFAULT_AUTH_SERVER_URL = 'https://auth.doover.com';

/** Where FusionAuth's token endpoint lives when discovery cannot say. */
export const FALLBACK_TOKEN_PATH = '/oauth2/token';

/** How long a rotation is remembered for callers still holding the used-up token. */
export const SUCCESSION_MEMORY_MS = 24 * 60 * 60 * 1000;

/** At most this many rotations are remembered; the oldest go first. */
const MAX_SUCCESSIONS = 10_000;

/** A remembered access token is handed out again only while it stays valid this long. */
const MIN_REUSE_VALIDITY_MS = 60_000;

export const NEEDS_SIGN_IN_MESSAGE =
  'The auth server no longer accepts this sign-in. Sign in again.';

/** What a refresh needs from a user profile. */
export interface RefreshCredentials {
  /** AUTH_SERVER_URL; the Doover default when empty or missing. */
  authServerUrl?: string | null;
  /** AUTH_SERVER_CLIENT_ID. */
  clientId: string;
  refreshToken: string;
}

export interface RefreshDeps extends AuthHttp {
  discovery: DiscoveryClient;
  log?: Logger;
}

/** A completed refresh. */
export interface Refreshed {
  /** To store in the profile; REFRESH_TOKEN only when the server rotated it. */
  fields: TokenFields;
  /** Whether the server issued a new refresh token (the old one is now spent). */
  rotated: boolean;
  signedInAs: string | null;
  tokens: TokenResponse;
  serverTime: ServerTime;
}

/** The outcome of a refresh; `failure.kind` 'needs-sign-in' means `invalid_grant`. */
export type RefreshResult = AuthResult<Refreshed>;

/**
 * One refresh-token exchange (RFC 6749 section 6), with no sharing: use
 * `TokenRefresher` unless the caller guarantees there is no other.
 */
export async function requestRefresh(
  credentials: RefreshCredentials,
  deps: RefreshDeps,
  signal?: AbortSignal,
): Promise<RefreshResult> {
  const missing = missingCredential(credentials);
  if (missing !== null) {
    return failed(missing);
  }
  const endpoint = await tokenEndpointFor(credentials.authServerUrl, deps, signal);
  if (!endpoint.ok) {
    return endpoint;
  }

  const form = {
    grant_type: 'refresh_token',
    refresh_token: credentials.refreshToken,
    client_id: credentials.clientId,
  };
  const outcome = await postTokenRequest(
    { endpoint: endpoint.value, form },
    deps,
    signal,
  );

  return refreshResult(outcome, credentials, signal);
}

function missingCredential(credentials: RefreshCredentials): AuthFailure | null {
  if (credentials.refreshToken === '') {
    return authFailure(
      'cannot-refresh',
      'This profile has no refresh token, so it cannot renew itself. Sign in again.',
    );
  }
  if (credentials.clientId === '') {
    return authFailure(
      'cannot-refresh',
      'This profile has no client id (AUTH_SERVER_CLIENT_ID), so it cannot renew itself.',
    );
  }

  return null;
}

/**
 * The token endpoint from discovery. When the discovery document cannot be
 * had or read, FusionAuth's usual path is tried, as pydoover always does;
 * not when the server could not be reached at all or is too slow, where a
 * second request would only fail the same way.
 */
async function tokenEndpointFor(
  authServerUrl: string | null | undefined,
  deps: RefreshDeps,
  signal: AbortSignal | undefined,
): Promise<AuthResult<string>> {
  const address = authServerUrl?.trim() || DEFAULT_AUTH_SERVER_URL;
  const base = serverBaseUrl(address, 'auth server');
  if (!base.ok) {
    return base;
  }

  const discovered = await deps.discovery.discover(base.value, signal);
  if (discovered.ok) {
    return { ok: true, value: discovered.value.tokenEndpoint };
  }
  const { failure } = discovered;
  if (
    failure.kind === 'cancelled' ||
    failure.kind === 'network' ||
    failure.reason === 'timeout'
  ) {
    return discovered;
  }
  deps.log?.info('using the usual token endpoint path: discovery failed');

  return { ok: true, value: `${base.value}${FALLBACK_TOKEN_PATH}` };
}

function refreshResult(
  outcome: TokenOutcome,
  credentials: RefreshCredentials,
  signal: AbortSignal | undefined,
): RefreshResult {
  switch (outcome.kind) {
    case 'success':
      return {
        ok: true,
        value: refreshed(outcome.tokens, outcome.serverTime, credentials),
      };
    case 'invalid_grant':
      return failed(authFailure('needs-sign-in', NEEDS_SIGN_IN_MESSAGE));
    case 'oauth-error':
      return failed(authFailure('rejected', outcome.message));
    case 'failed':
      return failed(
        outcome.failure.kind === 'cancelled'
          ? cancelledFailure(signal, 'The refresh')
          : outcome.failure,
      );
    default:
      // Device-flow answers make no sense to a refresh request.
      return failed(
        authFailure(
          'rejected',
          `The auth server refused the refresh with an unexpected answer (${outcome.kind}).`,
        ),
      );
  }
}

function refreshed(
  tokens: TokenResponse,
  serverTime: ServerTime,
  credentials: RefreshCredentials,
): Refreshed {
  const rotated =
    tokens.refresh_token !== undefined &&
    tokens.refresh_token !== credentials.refreshToken;
  const fields: TokenFields = {
    TOKEN: tokens.access_token,
    TOKEN_EXPIRES: tokenExpiresAt(tokens, serverTime.sentAt),
  };
  if (rotated && tokens.refresh_token !== undefined) {
    fields.REFRESH_TOKEN = tokens.refresh_token;
    fields.REFRESH_TOKEN_ID = tokens.refresh_token_id ?? '';
  } else if (tokens.refresh_token_id !== undefined) {
    fields.REFRESH_TOKEN_ID = tokens.refresh_token_id;
  }

  return { fields, rotated, signedInAs: signedInAs(tokens), tokens, serverTime };
}

/** A remembered refresh that used up a refresh token, and when it happened. */
interface Succession {
  refreshed: Refreshed;
  at: number;
}

/**
 * Refreshes with single flight: every caller holding the same sign-in (the
 * same refresh token at the same auth server and client) shares one request.
 *
 * With rotating refresh tokens a second request with a used-up token would
 * revoke the whole sign-in, and a caller may still hold one (a profile read
 * just before the new token was stored). So each rotation is remembered: a
 * caller with a used-up token gets the newest result of its chain while that
 * token stays valid for another minute, or a refresh of the newest refresh
 * token in the chain; never a request with the used-up one.
 *
 * LIMITATION: the memory lives in this process only (for SUCCESSION_MEMORY_MS);
 * other processes are kept apart by the refresh lock, and must read the
 * profile under it.
 */
export class TokenRefresher {
  readonly #deps: RefreshDeps;
  readonly #flights = new SingleFlight<RefreshResult>();
  readonly #successions = new Map<string, Succession>();

  constructor(deps: RefreshDeps) {
    this.#deps = deps;
  }

  /**
   * Refreshes, or joins the refresh already running for this sign-in.
   * Aborting `signal` stops this caller waiting; the shared request goes on.
   */
  refresh(credentials: RefreshCredentials, signal?: AbortSignal): Promise<RefreshResult> {
    const flight = this.#refreshOrReuse(credentials);

    return whileNotAborted(flight, signal, () =>
      failed(cancelledFailure(signal, 'The refresh')),
    );
  }

  async #refreshOrReuse(credentials: RefreshCredentials): Promise<RefreshResult> {
    this.#forgetOldSuccessions();
    const newest = this.#newestSuccession(credentials);
    if (newest === undefined) {
      return this.#flights.run(signInKey(credentials), () =>
        this.#refreshOnce(credentials),
      );
    }

    const refreshed = newest.refreshed;
    const current = refreshed.fields.REFRESH_TOKEN ?? credentials.refreshToken;
    if (staysValid(refreshed, this.#deps.clock.now())) {
      return { ok: true, value: refreshed };
    }
    this.#deps.log?.info('refreshing with the newest refresh token of a rotated sign-in');
    const result = await this.refresh({ ...credentials, refreshToken: current });

    // The caller holds an older token: the newest one must reach its profile.
    return result.ok && result.value.fields.REFRESH_TOKEN === undefined
      ? { ok: true, value: withRefreshToken(result.value, current) }
      : result;
  }

  async #refreshOnce(credentials: RefreshCredentials): Promise<RefreshResult> {
    const result = await requestRefresh(credentials, this.#deps);
    if (!result.ok) {
      this.#deps.log?.warn('refresh failed: %s', result.failure.kind);
      return result;
    }

    this.#deps.log?.info('refresh succeeded%s', result.value.rotated ? ' (rotated)' : '');
    if (result.value.rotated) {
      this.#rememberSuccession(signInKey(credentials), result.value);
    }

    return result;
  }

  /** The last rotation in the chain that starts at these credentials, if any. */
  #newestSuccession(credentials: RefreshCredentials): Succession | undefined {
    let newest: Succession | undefined;
    let key = signInKey(credentials);
    // Bounded: a chain can never be longer than the memory.
    for (let step = 0; step <= this.#successions.size; step += 1) {
      const next = this.#successions.get(key);
      const successor = next?.refreshed.fields.REFRESH_TOKEN;
      if (next === undefined || successor === undefined) {
        break;
      }
      newest = next;
      key = signInKey({ ...credentials, refreshToken: successor });
    }

    return newest;
  }

  #rememberSuccession(key: string, refreshed: Refreshed): void {
    this.#successions.set(key, { refreshed, at: this.#deps.clock.now() });
    if (this.#successions.size > MAX_SUCCESSIONS) {
      const oldest = this.#successions.keys().next().value;
      if (oldest !== undefined) {
        this.#successions.delete(oldest);
      }
    }
  }

  #forgetOldSuccessions(): void {
    const cutoff = this.#deps.clock.now() - SUCCESSION_MEMORY_MS;
    for (const [key, succession] of this.#successions) {
      if (succession.at <= cutoff) {
        this.#successions.delete(key);
      }
    }
  }
}

/** Whether a refresh's access token is still good for at least another minute. */
function staysValid(refreshed: Refreshed, nowMs: number): boolean {
  const expires = refreshed.fields.TOKEN_EXPIRES;

  return expires === null || expires * 1000 - nowMs >= MIN_REUSE_VALIDITY_MS;
}

function withRefreshToken(refreshed: Refreshed, refreshToken: string): Refreshed {
  return {
    ...refreshed,
    rotated: true,
    fields: { ...refreshed.fields, REFRESH_TOKEN: refreshToken },
  };
}

/** Names a sign-in without holding its refresh token in the clear. */
function signInKey(credentials: RefreshCredentials): string {
  const address = credentials.authServerUrl?.trim() || DEFAULT_AUTH_SERVER_URL;

  return createHash('sha256')
    .update(
      `${address.replace(/\/+$/, '')}\n${credentials.clientId}\n${credentials.refreshToken}`,
    )
    .digest('hex');
}
