import { randomUUID } from 'node:crypto';
import type { Clock } from '../app-services.js';
import type { KeychainErrorKind } from './keychain-errors.js';
import { healthProbePrefix, type Keychain, type KeychainResult } from './keychain.js';

export type KeychainHealthState =
  'ok' | 'no-service' | 'locked' | 'denied' | 'unavailable' | 'timeout' | 'failed';

export interface KeychainHealth {
  state: KeychainHealthState;
  /** What it means for the user, in plain words. */
  message: string;
  /** When the check finished, in milliseconds since the epoch. */
  checkedAt: number;
}

export interface HealthCheckOptions {
  clock?: Clock;
  platform?: NodeJS.Platform;
  /** Names this check's probe account; random when omitted. */
  probeId?: string;
}

type ProbeOutcome =
  { state: 'ok' } | { state: Exclude<KeychainHealthState, 'ok'>; message: string };

/**
 * Checks the keychain the way sign-ins will use it: writes a probe entry,
 * reads it back and deletes it. Reading alone is not enough: a locked GNOME
 * keyring answers reads with "nothing stored" and only refuses writes.
 *
 * LIMITATION: a crash between writing and deleting the probe leaves it in
 * the keychain. It holds no secret and orphan listings leave it out.
 */
export async function checkKeychainHealth(
  keychain: Keychain,
  options: HealthCheckOptions = {},
): Promise<KeychainHealth> {
  const outcome = await probe(
    keychain,
    healthProbePrefix + (options.probeId ?? randomUUID()),
  );
  const message =
    outcome.state === 'ok'
      ? 'The keychain is working: new sign-ins are kept in it.'
      : `${outcome.message} ${consequence(outcome.state, options.platform ?? process.platform)}`;

  return { state: outcome.state, message, checkedAt: (options.clock ?? Date).now() };
}

async function probe(keychain: Keychain, account: string): Promise<ProbeOutcome> {
  const value = `probe-${randomUUID()}`;

  const written = await keychain.setSecret(account, value);
  if (!written.ok) {
    return fromFailure(written);
  }

  const read = await keychain.getSecret(account);
  if (!read.ok) {
    return fromFailure(read);
  }
  if (read.value !== value) {
    return {
      state: 'failed',
      message: 'The keychain did not give back what was stored in it.',
    };
  }

  const deleted = await keychain.deleteSecret(account);
  if (!deleted.ok) {
    return fromFailure(deleted);
  }

  return { state: 'ok' };
}

function fromFailure(result: KeychainResult<unknown> & { ok: false }): ProbeOutcome {
  return { state: healthState(result.error.kind), message: result.error.message };
}

function healthState(kind: KeychainErrorKind): Exclude<KeychainHealthState, 'ok'> {
  // The probe is a few bytes, so 'too-large' can only mean something unexpected.
  return kind === 'too-large' ? 'failed' : kind;
}

function consequence(state: KeychainHealthState, platform: NodeJS.Platform): string {
  const kept = 'New sign-ins will be kept in the config file';
  switch (state) {
    case 'no-service':
      return platform === 'linux'
        ? `${kept} unless you start one.`
        : `${kept} until it runs again.`;
    case 'locked':
      return `Unlock it to keep new sign-ins there; until then they are kept in the config file.`;
    case 'timeout':
      return `It may be waiting for an unlock prompt. ${kept} until it answers.`;
    default:
      return `${kept}.`;
  }
}
