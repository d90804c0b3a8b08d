import { describe, expect, it } from 'vitest';
import {
  classifyKeychainError,
  keychainFailure,
  toAppError,
  type KeychainErrorKind,
} from './keychain-errors.js';

// Messages as the keychain libraries word them; the Linux ones were seen here
// from keytar against gnome-keyring and against no Secret Service at all.
const seen: Array<[string, KeychainErrorKind]> = [
  ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'no-service'],
  ['Could not connect: No such file or directory', 'no-service'],
  [
    'Error spawning command line “dbus-launch --autolaunch=3d12 --binary-syntax --close-stderr”: Child process exited with code 1',
    'no-service',
  ],
  [
    'GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files',
    'no-service',
  ],
  ['Cannot create an item in a locked collection', 'locked'],
  ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'locked'],
  ['GDBus.Error:org.freedesktop.Secret.Error.IsLocked: Cannot unlock', 'locked'],
  ['User canceled the operation.', 'locked'],
  ['User interaction is not allowed.', 'locked'],
  ['Prompt dismissed', 'locked'],
  [
    'GDBus.Error:org.freedesktop.DBus.Error.AccessDenied: Rejected send message',
    'denied',
  ],
  ['The user name or passphrase you entered is not correct.', 'denied'],
  ['Access is denied.', 'denied'],
  ['The stub received bad data.', 'too-large'],
  ['No keychain is available. You may need to restart your computer.', 'no-service'],
  ['Element not found.', 'failed'],
  ['Something else entirely', 'failed'],
];

describe('classifyKeychainError', () => {
  it.each(seen)('reads "%s" as %s', (message, kind) => {
    expect(classifyKeychainError(new Error(message))).toBe(kind);
  });

  it('reads a thrown non-error as failed', () => {
    expect(classifyKeychainError(undefined)).toBe('failed');
  });
});

describe('keychainFailure', () => {
  const context = { platform: 'linux' as const, timeoutMs: 3000 };

  it('says which limit was hit', () => {
    expect(keychainFailure('timeout', context).message).toBe(
      'The keychain did not answer within 3 s.',
    );
    expect(keychainFailure('timeout', { ...context, timeoutMs: 1500 }).message).toBe(
      'The keychain did not answer within 1.5 s.',
    );
    expect(keychainFailure('too-large', context).message).toContain(
      'at most 2,560 bytes',
    );
  });

  it('names the Secret Service only on Linux', () => {
    expect(keychainFailure('no-service', context).message).toBe(
      'Keychain unavailable: no Secret Service is running.',
    );
    expect(
      keychainFailure('no-service', { ...context, platform: 'darwin' }).message,
    ).toBe('Keychain unavailable: the system keychain service is not running.');
  });

  it('maps to the error codes calls answer with', () => {
    expect(toAppError(keychainFailure('locked', context)).code).toBe('keychain-locked');
    expect(toAppError(keychainFailure('no-service', context)).code).toBe(
      'keychain-unavailable',
    );
  });
});
