import { decodeJwt, type JWTPayload } from 'jose';
import type { TokenResponse } from './token-endpoint.js';

/**
 * The profile fields new tokens set, named as the profiles file names them.
 * A field left out is left as it is.
 */
export interface TokenFields {
  TOKEN: string;
  /** POSIX seconds; null when neither the token nor the server gives an expiry. */
  TOKEN_EXPIRES: number | null;
  REFRESH_TOKEN?: string;
  /** '' clears an id that no longer names the stored refresh token. */
  REFRESH_TOKEN_ID?: string;
}

/** The claims of a JWT, read without verifying it, or null when it is not one. */
export function readClaims(token: string | undefined): JWTPayload | null {
  if (token === undefined) {
    return null;
  }
  try {
    return decodeJwt(token);
  } catch {
    return null;
  }
}

/**
 * When the new access token expires, in POSIX seconds: its own `exp` claim
 * when it is a JWT (the server's word), else `expires_in` counted from when
 * the request was sent, which errs on the early side.
 */
export function tokenExpiresAt(tokens: TokenResponse, sentAtMs: number): number | null {
  const exp = readClaims(tokens.access_token)?.exp;
  if (typeof exp === 'number' && Number.isFinite(exp)) {
    return exp;
  }

  return tokens.expires_in === undefined ? null : sentAtMs / 1000 + tokens.expires_in;
}

/** Who the tokens are for: an email claim, else the subject, else null. */
export function signedInAs(tokens: TokenResponse): string | null {
  const claims = [readClaims(tokens.access_token), readClaims(tokens.id_token)];
  const email = claims.map((claim) => claim?.email).find(isNonEmptyText);

  return email ?? claims.map((claim) => claim?.sub).find(isNonEmptyText) ?? null;
}

function isNonEmptyText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** The `iat` claim of the access token in milliseconds, or null. */
export function issuedAtMs(tokens: TokenResponse): number | null {
  const iat = readClaims(tokens.access_token)?.iat;

  return typeof iat === 'number' && Number.isFinite(iat) ? iat * 1000 : null;
}
