import { describe, expect, it } from 'vitest';
import type { RenewalState } from '../core/scheduler/refresh-scheduler.js';
import { trayStatus, worstTrayState } from './tray-status.js';

const planned: RenewalState = { kind: 'planned', at: 1_000 };
const retrying: RenewalState = { kind: 'retrying', at: 2_000, reason: 'network' };
const needsSignIn: RenewalState = { kind: 'needs-sign-in' };
const locked: RenewalState = { kind: 'keychain-locked', reason: 'locked' };

describe('worstTrayState', () => {
  it('ranks a locked keychain over a profile that needs you over all fine', () => {
    expect(worstTrayState([])).toBe('fine');
    expect(worstTrayState(['fine', 'attention', 'fine'])).toBe('attention');
    expect(worstTrayState(['attention', 'keychain-locked', 'fine'])).toBe(
      'keychain-locked',
    );
  });
});

describe('trayStatus', () => {
  it('is fine while every profile renews on plan or retries on its own', () => {
    expect(
      trayStatus({
        profiles: [
          { name: 'default', renewal: planned },
          { name: 'lab', renewal: retrying },
          { name: 'ci', renewal: { kind: 'cannot-renew', expiresAt: null } },
        ],
        keychain: 'ok',
      }),
    ).toEqual({ state: 'fine', tooltip: 'Doover Profiles: all profiles are fine' });
  });

  it('needs you when a sign-in was rejected, naming the profile', () => {
    expect(
      trayStatus({
        profiles: [
          { name: 'default', renewal: planned },
          { name: 'staging', renewal: needsSignIn },
        ],
        keychain: 'ok',
      }),
    ).toEqual({
      state: 'attention',
      tooltip: 'Doover Profiles: sign in again to staging',
    });
  });

  it('counts the profiles when several need you', () => {
    const status = trayStatus({
      profiles: [
        { name: 'a', renewal: needsSignIn },
        { name: 'b', renewal: needsSignIn },
      ],
      keychain: null,
    });

    expect(status.tooltip).toBe('Doover Profiles: 2 profiles need you to sign in again');
  });

  it('shows a locked keychain above everything, from the check or from a renewal', () => {
    const fromCheck = trayStatus({
      profiles: [{ name: 'staging', renewal: needsSignIn }],
      keychain: 'locked',
    });
    const fromRenewal = trayStatus({
      profiles: [{ name: 'default', renewal: locked }],
      keychain: 'ok',
    });

    for (const status of [fromCheck, fromRenewal]) {
      expect(status).toEqual({
        state: 'keychain-locked',
        tooltip: 'Doover Profiles: the keychain is locked, so tokens cannot be renewed',
      });
    }
  });

  it('needs you when the keychain fails in another way', () => {
    for (const keychain of [
      'no-service',
      'denied',
      'unavailable',
      'timeout',
      'failed',
    ] as const) {
      expect(trayStatus({ profiles: [], keychain }), keychain).toEqual({
        state: 'attention',
        tooltip: 'Doover Profiles: the keychain cannot be used',
      });
    }
  });
});
