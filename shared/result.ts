/**
 * Every call across the process boundary answers with a Result: success with a
 * value, or one of a closed set of error codes with a message written for the
 * user. Thrown errors never cross the boundary.
 */
export const errorCodes = [
  'bad-request',
  'not-found',
  'file-unreadable',
  'file-write-failed',
  'conflict',
  'keychain-unavailable',
  'keychain-locked',
  'auth-rejected',
  'auth-unavailable',
  'network',
  'cancelled',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface AppError {
  code: ErrorCode;
  /** Plain words for the user. Never contains a secret. */
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
