import type { AppError, ErrorCode } from '../../../shared/result.js';

/** Why an answer from the auth server could not be used. */
export type UnavailableReason =
  'server-error' | 'html' | 'invalid-json' | 'timeout' | 'unexpected';

/** Every way talking to the auth server can end without tokens. */
export type AuthFailureKind =
  /** The refresh token is no longer accepted (`invalid_grant`): sign in again. */
  | 'needs-sign-in'
  /** The person declined the sign-in in the browser (`access_denied`). */
  | 'declined'
  /** The device code ran out (`expired_token`). */
  | 'code-expired'
  /** A 5xx, a web page, bad JSON, a timeout or an answer of the wrong shape. */
  | 'server-unavailable'
  /** The auth server could not be reached at all. */
  | 'network'
  /** Any other OAuth error, described by the server. */
  | 'rejected'
  /** The auth server does not offer what was asked (e.g. no device sign-in). */
  | 'not-offered'
  /** The profile lacks what a refresh needs (a refresh token or a client id). */
  | 'cannot-refresh'
  /** A server address that is not an http(s) URL. */
  | 'invalid-address'
  /** The profile to refresh does not exist. */
  | 'no-profile'
  /** The profile could not be read. */
  | 'unreadable'
  /** Another program holds the profile's refresh lock. */
  | 'busy'
  /** New tokens were received but could not be stored. */
  | 'not-saved'
  | 'cancelled';

/** A failure in plain words; the message never holds a token or a secret. */
export interface AuthFailure {
  kind: AuthFailureKind;
  message: string;
  /** For `server-unavailable`: what exactly was wrong. */
  reason?: UnavailableReason;
}

/** A value, or a failure told in words. */
export type AuthResult<T> = { ok: true; value: T } | { ok: false; failure: AuthFailure };

const errorCodes: Record<AuthFailureKind, ErrorCode> = {
  'needs-sign-in': 'auth-rejected',
  declined: 'auth-rejected',
  'code-expired': 'auth-rejected',
  'server-unavailable': 'auth-unavailable',
  network: 'network',
  rejected: 'auth-rejected',
  'not-offered': 'auth-unavailable',
  'cannot-refresh': 'bad-request',
  'invalid-address': 'bad-request',
  'no-profile': 'not-found',
  unreadable: 'file-unreadable',
  busy: 'conflict',
  'not-saved': 'file-write-failed',
  cancelled: 'cancelled',
};

/** A failure of the given kind. */
export function authFailure(
  kind: AuthFailureKind,
  message: string,
  reason?: UnavailableReason,
): AuthFailure {
  return reason === undefined ? { kind, message } : { kind, message, reason };
}

/** The same failure as the IPC contract's error shape. */
export function toAppError(failure: AuthFailure): AppError {
  return { code: errorCodes[failure.kind], message: failure.message };
}

/** Whether trying again later may succeed without the user doing anything. */
export function isTransient(failure: AuthFailure): boolean {
  return (
    failure.kind === 'server-unavailable' ||
    failure.kind === 'network' ||
    failure.kind === 'busy'
  );
}

/** A failed result. */
export function failed<T = never>(failure: AuthFailure): AuthResult<T> {
  return { ok: false, failure };
}

/** The message of an aborted operation: the abort reason when it is text. */
export function cancelledFailure(
  signal: AbortSignal | undefined,
  what: string,
): AuthFailure {
  const reason: unknown = signal?.reason;

  return authFailure(
    'cancelled',
    typeof reason === 'string' && reason !== '' ? reason : `${what} was cancelled.`,
  );
}
