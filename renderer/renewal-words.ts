import { formatDuration } from '../shared/expiry-status';
import type { RenewalState } from '../shared/token-types';

/** How much a renewal state asks of the user: nothing, a look, or an action. */
export type RenewalTone = 'quiet' | 'busy' | 'warning' | 'problem';

export interface RenewalWords {
  words: string;
  tone: RenewalTone;
}

/** "14:02" in the user's own time format. */
function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
  });
}

function until(atMs: number, nowMs: number): string {
  return formatDuration((atMs - nowMs) / 1000);
}

/** A profile's background renewal in words, as of `nowMs`. */
export function describeRenewal(state: RenewalState, nowMs: number): RenewalWords {
  switch (state.kind) {
    case 'planned':
      return { words: `Renews itself in ${until(state.at, nowMs)}`, tone: 'quiet' };
    case 'renewing':
      return { words: 'Renewing…', tone: 'busy' };
    case 'renewed':
      return {
        words:
          state.next === null
            ? `Renewed at ${clockTime(state.at)}`
            : `Renewed at ${clockTime(state.at)}; renews again in ${until(state.next, nowMs)}`,
        tone: 'quiet',
      };
    case 'retrying':
      return {
        words:
          state.at - nowMs < 1000
            ? `Trying the server again: ${lowerFirst(state.reason)}`
            : `Retrying in ${until(state.at, nowMs)}: ${lowerFirst(state.reason)}`,
        tone: 'warning',
      };
    case 'needs-sign-in':
      return { words: 'Needs sign-in again', tone: 'problem' };
    case 'keychain-locked':
      return { words: 'Keychain locked', tone: 'problem' };
    case 'cannot-renew':
      return { words: cannotRenewWords(state.expiresAt, nowMs), tone: 'warning' };
  }
}

function cannotRenewWords(expiresAt: number | null, nowMs: number): string {
  if (expiresAt === null) {
    return 'Cannot renew itself';
  }
  const left = expiresAt - nowMs;

  return left > 0
    ? `Expires in ${formatDuration(left / 1000)} and cannot renew itself`
    : 'Expired and cannot renew itself';
}

/** What a screen reader should hear: the kind of state, not its ticking numbers. */
export function renewalAnnouncement(state: RenewalState): string {
  switch (state.kind) {
    case 'planned':
      return 'Renews itself';
    case 'renewing':
      return 'Renewing';
    case 'renewed':
      return `Renewed at ${clockTime(state.at)}`;
    case 'retrying':
      return `Retrying: ${lowerFirst(state.reason)}`;
    case 'needs-sign-in':
      return 'Needs sign-in again';
    case 'keychain-locked':
      return 'Keychain locked';
    case 'cannot-renew':
      return 'Cannot renew itself';
  }
}

/** Renewal states that need the user, in words for a notification; null for the others. */
export function alertFor(state: RenewalState, nowMs: number): string | null {
  switch (state.kind) {
    case 'needs-sign-in':
      return 'needs you to sign in again.';
    case 'keychain-locked':
      return `cannot renew its token: the keychain is locked. ${state.reason}`;
    case 'cannot-renew':
      return soonExpiring(state.expiresAt, nowMs)
        ? `${lowerFirst(cannotRenewWords(state.expiresAt, nowMs))}. Sign in again to keep it working.`
        : null;
    default:
      return null;
  }
}

/** A token that cannot renew is worth a notification once it has 10 minutes or less. */
const ALERT_BEFORE_EXPIRY_MS = 10 * 60 * 1000;

function soonExpiring(expiresAt: number | null, nowMs: number): boolean {
  return expiresAt !== null && expiresAt - nowMs <= ALERT_BEFORE_EXPIRY_MS;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
