import { decodeJwt } from 'jose';
import type { ExpirySource } from '../../../shared/profile-types.js';

export interface EffectiveExpiry {
  /** POSIX seconds, or null when neither the file nor the token says. */
  expiresAt: number | null;
  source: ExpirySource | null;
}

const unknownExpiry: EffectiveExpiry = { expiresAt: null, source: null };

/**
 * When a token stops working, as Doover's clients decide it: TOKEN_EXPIRES when
 * the file has a readable one, else the token's own `exp` claim read without
 * verifying the signature (only the auth server could verify it), else unknown.
 */
export function effectiveExpiry(
  fileSeconds: number | null,
  token: string | null,
): EffectiveExpiry {
  if (fileSeconds !== null) {
    return { expiresAt: fileSeconds, source: 'file' };
  }
  const exp = token === null ? null : jwtExpiry(token);
  return exp === null ? unknownExpiry : { expiresAt: exp, source: 'jwt' };
}

/** The `exp` claim of a JWT in seconds, or null when the token is not a JWT or has none. */
export function jwtExpiry(token: string): number | null {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : null;
  } catch {
    return null;
  }
}

/** The `iat` claim of a JWT in seconds, or null when the token is not a JWT or has none. */
export function jwtIssuedAt(token: string): number | null {
  try {
    const { iat } = decodeJwt(token);
    return typeof iat === 'number' && Number.isFinite(iat) ? iat : null;
  } catch {
    return null;
  }
}
