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

/**
 * How long the result of a rotating refresh is remembered for callers that
 * still hold the refresh token it used up.
 */
export const SPENT_TOKEN_MEMORY_MS = 5 * 60 * 1000;

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

/**
 * Refreshes with single flight: every caller holding the same sign-in (the
 * same refresh token at the same auth server and client) shares one request.
 * With rotating refresh tokens a second request with the old token would
 * revoke the whole sign-in, so a caller that arrives later still holding a
 * token this refresher already used up gets that refresh's result instead of
 * sending it again (for a few minutes; see SPENT_TOKEN_MEMORY_MS).
 */
export class TokenRefresher {
  readonly #deps: RefreshDeps;
  readonly #flights = new SingleFlight<RefreshResult>();
  readonly #spent = new Map<string, { result: RefreshResult; until: number }>();

  constructor(deps: RefreshDeps) {
    this.#deps = deps;
  }

  /**
   * Refreshes, or joins the refresh already running for this sign-in.
   * Aborting `signal` stops this caller waiting; the shared request goes on.
   */
  refresh(credentials: RefreshCredentials, signal?: AbortSignal): Promise<RefreshResult> {
    const key = signInKey(credentials);
    const remembered = this.#remembered(key);
    const flight =
      remembered ?? this.#flights.run(key, () => this.#refreshOnce(key, credentials));

    return whileNotAborted(flight, signal, () =>
      failed(cancelledFailure(signal, 'The refresh')),
    );
  }

  async #refreshOnce(
    key: string,
    credentials: RefreshCredentials,
  ): Promise<RefreshResult> {
    const result = await requestRefresh(credentials, this.#deps);
    if (result.ok) {
      this.#deps.log?.info(
        'refresh succeeded%s',
        result.value.rotated ? ' (rotated)' : '',
      );
    } else {
      this.#deps.log?.warn('refresh failed: %s', result.failure.kind);
    }
    if (result.ok && result.value.rotated) {
      const until = this.#deps.clock.now() + SPENT_TOKEN_MEMORY_MS;
      this.#spent.set(key, { result, until });
    }

    return result;
  }

  #remembered(key: string): Promise<RefreshResult> | undefined {
    const now = this.#deps.clock.now();
    for (const [spentKey, entry] of this.#spent) {
      if (entry.until <= now) {
        this.#spent.delete(spentKey);
      }
    }
    const entry = this.#spent.get(key);

    return entry === undefined ? undefined : Promise.resolve(entry.result);
  }
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
