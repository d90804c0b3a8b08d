import type { Logger } from '../logger.js';
import { authFailure, cancelledFailure, type AuthFailure } from './auth-failure.js';
import { readJson, sendRequest, type AuthHttp } from './auth-http.js';
import type { DiscoveryClient } from './discovery.js';
import { DEFAULT_AUTH_SERVER_URL } from './refresh.js';
import { readOAuthError } from './token-endpoint.js';

export const REVOKED_MESSAGE = 'The sign-in was revoked at the auth server.';
export const NOT_OFFERED_MESSAGE =
  'This auth server offers no way to revoke; the sign-in was removed from this computer only.';
export const NOTHING_TO_REVOKE_MESSAGE =
  'The profile held no refresh token, so there was nothing to revoke at the auth server.';

/** What happened at the auth server when a sign-in was removed. */
export type RevokeResult =
  | { outcome: 'revoked'; message: string }
  /** The profile held no refresh token, so there was nothing to revoke. */
  | { outcome: 'nothing-to-revoke'; message: string }
  | { outcome: 'not-offered'; message: string }
  /** The server could not be asked or refused; `message` says so in full. */
  | { outcome: 'failed'; failure: AuthFailure; message: string };

export interface RevokeDeps extends AuthHttp {
  discovery: DiscoveryClient;
  log?: Logger;
}

/** The sign-in to end at the auth server. */
export interface RevokeRequest {
  /** AUTH_SERVER_URL; the Doover default when empty or missing. */
  authServerUrl?: string | null;
  clientId: string;
  refreshToken: string;
}

/**
 * Revokes a refresh token (RFC 7009) at the discovery document's
 * `revocation_endpoint`, when the server has one. The caller removes the
 * sign-in from the computer whatever the outcome; the message says how far it
 * reached.
 */
export async function revokeRefreshToken(
  request: RevokeRequest,
  deps: RevokeDeps,
  signal?: AbortSignal,
): Promise<RevokeResult> {
  if (request.refreshToken === '') {
    return { outcome: 'nothing-to-revoke', message: NOTHING_TO_REVOKE_MESSAGE };
  }
  const address = request.authServerUrl?.trim() || DEFAULT_AUTH_SERVER_URL;
  const discovered = await deps.discovery.discover(address, signal);
  if (!discovered.ok) {
    return notRevoked(discovered.failure, signal);
  }
  const endpoint = discovered.value.revocationEndpoint;
  if (endpoint === null) {
    return { outcome: 'not-offered', message: NOT_OFFERED_MESSAGE };
  }

  const form = {
    token: request.refreshToken,
    token_type_hint: 'refresh_token',
    client_id: request.clientId,
  };
  const headers = {
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
  };
  const body = new URLSearchParams(form).toString();
  const sent = await sendRequest(
    endpoint,
    { method: 'POST', headers, body },
    deps,
    signal,
  );
  if (sent.kind === 'failed') {
    return notRevoked(sent.failure, signal);
  }
  // RFC 7009: 200 means revoked, or already unknown to the server; the body says nothing.
  if (sent.status === 200) {
    deps.log?.info('refresh token revoked');
    return { outcome: 'revoked', message: REVOKED_MESSAGE };
  }

  return notRevoked(refusal(readJson(sent)), signal);
}

function refusal(answer: ReturnType<typeof readJson>): AuthFailure {
  if (answer.kind === 'failed') {
    return answer.failure;
  }
  const error = readOAuthError(answer.body);

  return authFailure(
    'rejected',
    error?.message ?? `The auth server refused to revoke (HTTP ${answer.status}).`,
  );
}

function notRevoked(failure: AuthFailure, signal: AbortSignal | undefined): RevokeResult {
  const final =
    failure.kind === 'cancelled' ? cancelledFailure(signal, 'Revoking') : failure;
  const message = `${final.message.replace(/\.$/, '')}. The sign-in was removed from this computer only.`;

  return { outcome: 'failed', failure: final, message };
}
