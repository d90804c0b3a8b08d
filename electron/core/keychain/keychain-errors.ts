import type { AppError } from '../../../shared/result.js';

/**
 * Keychain failures in a closed set of kinds, each with a message written for
 * the user. Messages describe the situation, never a value: no secret and no
 * raw library text reaches them.
 */

export const keychainErrorKinds = [
  'no-service',
  'locked',
  'denied',
  'too-large',
  'timeout',
  'unavailable',
  'failed',
] as const;

export type KeychainErrorKind = (typeof keychainErrorKinds)[number];

export interface KeychainFailure {
  kind: KeychainErrorKind;
  /** Plain words for the user. Never contains a secret. */
  message: string;
}

/** Windows Credential Manager keeps at most this many bytes per credential. */
export const windowsCredentialLimitBytes = 2560;

// Texts seen from libsecret (Linux), the Security framework (macOS) and the
// Credential Manager (Windows), checked in this order: a locked keyring's text
// can also mention D-Bus, so the more specific kinds come first.
const patterns: ReadonlyArray<readonly [KeychainErrorKind, RegExp]> = [
  ['too-large', /stub received bad data|too (large|long|big)/i],
  [
    'locked',
    /locked|cancel|dismiss|interaction is not allowed|object does not exist at path .*\/collection\//i,
  ],
  [
    'denied',
    /access (is )?denied|accessdenied|error\.denied|not permitted|permission|passphrase you entered is not correct|not authori[sz]ed/i,
  ],
  [
    'no-service',
    /autolaunch|d-?bus|could not connect|failed to connect|not provided by any \.service|secret ?service|org\.freedesktop\.secrets|no keychain is available|default keychain could not be found/i,
  ],
];

/** Sorts an error from the keychain library into one of the closed kinds. */
export function classifyKeychainError(error: unknown): KeychainErrorKind {
  const text = error instanceof Error ? error.message : String(error);
  const match = patterns.find(([, pattern]) => pattern.test(text));

  return match?.[0] ?? 'failed';
}

export interface FailureContext {
  platform: NodeJS.Platform;
  timeoutMs: number;
  /** Why the keychain module is unavailable, for the 'unavailable' kind. */
  unavailableReason?: string;
}

/** A failure of the given kind with its user-facing message. */
export function keychainFailure(
  kind: KeychainErrorKind,
  context: FailureContext,
): KeychainFailure {
  return { kind, message: failureMessage(kind, context) };
}

/** The failure as the error a call across the process boundary answers with. */
export function toAppError(failure: KeychainFailure): AppError {
  const code = failure.kind === 'locked' ? 'keychain-locked' : 'keychain-unavailable';

  return { code, message: failure.message };
}

function failureMessage(kind: KeychainErrorKind, context: FailureContext): string {
  switch (kind) {
    case 'no-service':
      return context.platform === 'linux'
        ? 'Keychain unavailable: no Secret Service is running.'
        : 'Keychain unavailable: the system keychain service is not running.';
    case 'locked':
      return 'The keychain is locked, or the request to unlock it was dismissed.';
    case 'denied':
      return 'The keychain refused access to Doover Profiles.';
    case 'too-large':
      return `This sign-in is too large for Windows Credential Manager, which holds at most ${windowsCredentialLimitBytes.toLocaleString('en-US')} bytes.`;
    case 'timeout':
      return `The keychain did not answer within ${formatSeconds(context.timeoutMs)}.`;
    case 'unavailable':
      return `Keychain unavailable: ${context.unavailableReason ?? 'the keychain module could not be loaded'}.`;
    case 'failed':
      return 'The keychain reported an unexpected error.';
  }
}

function formatSeconds(milliseconds: number): string {
  const seconds = milliseconds / 1000;

  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
