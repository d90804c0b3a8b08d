import type { KeychainHealthState } from '../core/keychain/keychain-health.js';
import type { RenewalState } from '../core/scheduler/refresh-scheduler.js';

/** What the tray icon shows, from best to worst. */
export const trayStates = ['fine', 'attention', 'keychain-locked'] as const;

export type TrayState = (typeof trayStates)[number];

/** What the tray is told about the app: each profile's renewal and the keychain. */
export interface TrayStatusInputs {
  profiles: readonly { name: string; renewal: RenewalState }[];
  /** The latest keychain check, or null before the first one. */
  keychain: KeychainHealthState | null;
}

export interface TrayStatus {
  state: TrayState;
  /** The tray's tooltip: the state in words. */
  tooltip: string;
}

/** The worst of several states: a locked keychain outranks a profile that needs you. */
export function worstTrayState(states: readonly TrayState[]): TrayState {
  return states.reduce<TrayState>(
    (worst, state) =>
      trayStates.indexOf(state) > trayStates.indexOf(worst) ? state : worst,
    'fine',
  );
}

/** The state the tray shows and its words. */
export function trayStatus(inputs: TrayStatusInputs): TrayStatus {
  const state = worstTrayState([
    keychainTrayState(inputs.keychain),
    ...inputs.profiles.map(({ renewal }) => renewalTrayState(renewal)),
  ]);
  const needSignIn = inputs.profiles
    .filter(({ renewal }) => renewal.kind === 'needs-sign-in')
    .map(({ name }) => name);

  return { state, tooltip: `Doover Profiles: ${describe(state, needSignIn)}` };
}

/** A rejected sign-in needs the user; retries and planned renewals do not. */
function renewalTrayState(renewal: RenewalState): TrayState {
  if (renewal.kind === 'keychain-locked') return 'keychain-locked';
  return renewal.kind === 'needs-sign-in' ? 'attention' : 'fine';
}

/** A locked keychain stops every renewal; its other failures need the user too. */
function keychainTrayState(keychain: KeychainHealthState | null): TrayState {
  if (keychain === 'locked') return 'keychain-locked';
  return keychain === null || keychain === 'ok' ? 'fine' : 'attention';
}

function describe(state: TrayState, needSignIn: readonly string[]): string {
  if (state === 'keychain-locked') {
    return 'the keychain is locked, so tokens cannot be renewed';
  }
  if (state === 'fine') {
    return 'all profiles are fine';
  }

  const [only] = needSignIn;
  if (only === undefined) return 'the keychain cannot be used';
  return needSignIn.length === 1
    ? `sign in again to ${only}`
    : `${needSignIn.length} profiles need you to sign in again`;
}
