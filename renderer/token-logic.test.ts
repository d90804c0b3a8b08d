import { describe, expect, it } from 'vitest';
import {
  clearOutcomeWords,
  copiedWords,
  copySecret,
  type ClipboardAccess,
} from './clipboard-copy';
import { describeRenewal } from './renewal-words';
import { createAppStore } from './store/app-store';
import { watchTokenAlerts } from './store/token-alerts';

const now = Date.UTC(2026, 0, 3, 13, 50, 0);

describe('renewal states in words', () => {
  it.each([
    [{ kind: 'planned', at: now + 12 * 60_000 }, 'Renews itself in 12 min'],
    [{ kind: 'renewing' }, 'Renewing…'],
    [
      { kind: 'retrying', at: now + 40_000, reason: 'Auth server unavailable' },
      'Retrying in 40 s: auth server unavailable',
    ],
    [
      { kind: 'retrying', at: now - 2_000, reason: 'Auth server unavailable' },
      'Trying the server again: auth server unavailable',
    ],
    [{ kind: 'needs-sign-in' }, 'Needs sign-in again'],
    [{ kind: 'keychain-locked', reason: 'locked' }, 'Keychain locked'],
    [
      { kind: 'cannot-renew', expiresAt: now + 3 * 60_000 },
      'Expires in 3 min and cannot renew itself',
    ],
  ] as const)('%o reads "%s"', (state, words) => {
    expect(describeRenewal(state, now).words).toBe(words);
  });

  it('says when the next renewal comes after one that happened', () => {
    const words = describeRenewal(
      { kind: 'renewed', at: now - 60_000, next: now + 44 * 60_000 },
      now,
    ).words;
    expect(words).toMatch(/^Renewed at .+; renews again in 44 min$/);
  });

  it('says when a renewal happened, in local time', () => {
    const at = new Date(2026, 0, 3, 14, 2).getTime();
    expect(describeRenewal({ kind: 'renewed', at, next: null }, now).words).toMatch(
      /^Renewed at 14:02|^Renewed at 02:02/,
    );
  });
});

/** A clipboard in memory with timers run by hand. */
function memoryClipboard(options: { readable?: boolean } = {}) {
  const timers: (() => void)[] = [];
  const delays: number[] = [];
  const clipboard: ClipboardAccess & { text: string } = {
    text: '',
    writeText: async (text: string) => {
      clipboard.text = text;
    },
    readText: async () => {
      if (options.readable === false) throw new Error('not allowed');
      return clipboard.text;
    },
    setTimeout: (run: () => void, ms: number) => {
      timers.push(run);
      delays.push(ms);
    },
  };

  return { clipboard, timers, delays };
}

async function copyAndWait(secret: string, access: ClipboardAccess, fire: () => void) {
  const outcome = new Promise((resolve) => {
    void copySecret(secret, 30, resolve, access).then(fire);
  });
  return outcome;
}

describe('copying a token', () => {
  it('clears the clipboard after the delay when it still holds the token', async () => {
    const { clipboard, timers, delays } = memoryClipboard();
    const outcome = await copyAndWait('tok-1', clipboard, () => timers[0]?.());
    expect(delays).toEqual([30_000]);
    expect(outcome).toBe('cleared');
    expect(clipboard.text).toBe('');
  });

  it('leaves something the user copied since', async () => {
    const { clipboard, timers } = memoryClipboard();
    const outcome = await copyAndWait('tok-1', clipboard, () => {
      clipboard.text = 'my notes';
      timers[0]?.();
    });
    expect(outcome).toBe('replaced');
    expect(clipboard.text).toBe('my notes');
  });

  it('says so when the clipboard cannot be read', async () => {
    const { clipboard, timers } = memoryClipboard({ readable: false });
    const outcome = await copyAndWait('tok-1', clipboard, () => timers[0]?.());
    expect(outcome).toBe('not-allowed');
    expect(clearOutcomeWords['not-allowed']).toMatch(/could not be cleared/);
  });

  it('never clears when asked not to', async () => {
    const { clipboard, timers } = memoryClipboard();
    await copySecret('tok-1', 'never', () => undefined, clipboard);
    expect(timers).toEqual([]);
    expect(copiedWords('never')).toMatch(/stays on the clipboard/);
    expect(copiedWords(30)).toBe('Copied, clears in 30 s');
  });
});

describe('alerts for what needs the user', () => {
  it('tells once per profile per state, on the desktop when allowed', () => {
    const store = createAppStore(now);
    const told: string[] = [];
    const stop = watchTokenAlerts(store, (_title, body) => (told.push(body), true));
    const needs = { profile: 'default', kind: 'needs-sign-in' } as const;
    store.getState().receiveRenewalStates({
      profiles: { default: { kind: needs.kind } },
      clockSkew: null,
    });
    store.getState().setNow(now + 1000);
    store.getState().receiveRenewalStates({
      profiles: { default: { kind: 'needs-sign-in' } },
      clockSkew: null,
    });
    expect(told).toEqual(["'default' needs you to sign in again."]);

    store.getState().receiveRenewalStates({
      profiles: { default: { kind: 'renewing' } },
      clockSkew: null,
    });
    store.getState().receiveRenewalStates({
      profiles: { default: { kind: 'needs-sign-in' } },
      clockSkew: null,
    });
    expect(told).toHaveLength(2);
    stop();
  });

  it('sums up many alerts at once in one notification instead of a flood', () => {
    const store = createAppStore(now);
    const told: string[] = [];
    const stop = watchTokenAlerts(
      store,
      (title, body) => (told.push(`${title}: ${body}`), true),
    );
    const profiles = Object.fromEntries(
      Array.from({ length: 40 }, (_, index) => [
        `p${index}`,
        { kind: 'needs-sign-in' } as const,
      ]),
    );
    store.getState().receiveRenewalStates({ profiles, clockSkew: null });

    expect(told).toEqual([
      "Doover Profiles: 40 profiles need you: 'p0', 'p1', 'p2' and 37 more: open the app to see what each needs.",
    ]);
    stop();
  });

  it('shows a banner when desktop notifications are not allowed, and drops it on recovery', () => {
    const store = createAppStore(now);
    const stop = watchTokenAlerts(store, () => false);
    store.getState().receiveRenewalStates({
      profiles: { lab: { kind: 'cannot-renew', expiresAt: now + 3 * 60_000 } },
      clockSkew: null,
    });
    expect(store.getState().tokenAlerts.map((alert) => alert.message)).toEqual([
      "'lab' expires in 3 min and cannot renew itself. Sign in again to keep it working.",
    ]);
    store
      .getState()
      .receiveRenewalStates({ profiles: { lab: { kind: 'renewing' } }, clockSkew: null });
    expect(store.getState().tokenAlerts).toEqual([]);
    stop();
  });

  it('waits until a token that cannot renew is close to expiry, and stays quiet when turned off', () => {
    const store = createAppStore(now);
    const told: string[] = [];
    const stop = watchTokenAlerts(store, (_title, body) => (told.push(body), true));
    store.getState().receiveRenewalStates({
      profiles: { lab: { kind: 'cannot-renew', expiresAt: now + 60 * 60_000 } },
      clockSkew: null,
    });
    expect(told).toEqual([]);
    store.getState().receiveSettings({
      preferences: {
        clipboardClearSeconds: 30,
        notifications: false,
        refresh: { lifetimeFraction: 0.75, leadSeconds: 300, minimumLeadSeconds: 60 },
      },
      profiles: {},
      problem: null,
    });
    store.getState().setNow(now + 55 * 60_000);
    expect(told).toEqual([]);
    stop();
  });
});
