/** When a token should be renewed: early enough that no reader ever finds it expired. */
export interface RefreshPolicy {
  /** Renew once this share of the token's lifetime has passed… */
  lifetimeFraction: number;
  /** …or this many seconds before expiry, whichever comes first… */
  leadSeconds: number;
  /** …and never later than this many seconds before expiry. */
  minimumLeadSeconds: number;
}

export { defaultRefreshPolicy } from '../../../shared/token-types.js';

export interface TokenTimes {
  /** POSIX seconds. */
  expiresAt: number;
  /** When the token was issued (its `iat`), or null when unknown. */
  issuedAt: number | null;
}

/**
 * The planned refresh instant, in milliseconds since the epoch. A token is
 * not renewed before half its life has passed: with short-lived tokens the
 * lead times would otherwise fall before the token was even issued, and every
 * renewal would be followed at once by another. Where half its life would
 * leave less than the minimum lead (a token of one to two minutes), the
 * minimum lead wins once the token has lived a quarter of its life; a token
 * that lives less than the minimum lead can only be renewed at half-life.
 */
export function plannedRefreshAt(token: TokenTimes, policy: RefreshPolicy): number {
  const { expiresAt, issuedAt } = token;
  const latest = Math.min(
    expiresAt - policy.leadSeconds,
    expiresAt - policy.minimumLeadSeconds,
  );
  if (issuedAt === null || issuedAt >= expiresAt) {
    return latest * 1000;
  }
  const lifetime = expiresAt - issuedAt;
  const planned = Math.min(latest, issuedAt + lifetime * policy.lifetimeFraction);
  const halfLife = issuedAt + lifetime / 2;
  const halfLifeTooLate =
    lifetime > policy.minimumLeadSeconds &&
    expiresAt - halfLife < policy.minimumLeadSeconds;
  const earliest = halfLifeTooLate
    ? Math.max(expiresAt - policy.minimumLeadSeconds, issuedAt + lifetime / 4)
    : halfLife;

  return Math.max(planned, earliest) * 1000;
}

/**
 * Delay before retry number `attempt` (1-based) after a transient failure:
 * exponential from 5 s to 5 min, with jitter so many profiles failing at once
 * do not retry in step, and never less than 5 s.
 */
export function retryDelayMs(attempt: number, random: () => number): number {
  const base = Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 300_000);
  const jittered = base * (0.5 + random() / 2);

  return Math.max(5_000, Math.round(jittered));
}
