import { describe, expect, it } from 'vitest';
import type { CallHandlers } from '../../shared/contract.js';
import { fail, ok } from '../../shared/result.js';
import type {
  KeychainStatus,
  RenewalStates,
  TokenForCopy,
} from '../../shared/token-types.js';
import type { EventListener } from '../core/app-services.js';
import type { Timers } from '../core/scheduler/deadline-queue.js';
import type { TrayStatusInputs } from './tray-status.js';
import {
  copyProfileToken,
  createClipboardKeeper,
  followTrayStatus,
  profilesToRefresh,
  refreshAllProfiles,
  type TextClipboard,
} from './tray-services.js';

const states: RenewalStates = {
  clockSkew: null,
  profiles: {
    planned: { kind: 'planned', at: 1 },
    renewing: { kind: 'renewing' },
    renewed: { kind: 'renewed', at: 1, next: 2 },
    retrying: { kind: 'retrying', at: 1, reason: 'offline' },
    locked: { kind: 'keychain-locked', reason: 'locked' },
    rejected: { kind: 'needs-sign-in' },
    'token-only': { kind: 'cannot-renew', expiresAt: null },
  },
};

/** Timers that fire only when the test says the time has come. */
function manualTimers() {
  const due = new Map<number, { at: number; run: () => void }>();
  let now = 0;
  let next = 0;
  const timers: Timers = {
    setTimeout: (run, ms) => {
      due.set(++next, { at: now + ms, run });
      return next;
    },
    clearTimeout: (handle) => due.delete(handle as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [handle, timer] of due) {
      if (timer.at <= now) {
        due.delete(handle);
        timer.run();
      }
    }
  };

  return { timers, advance, pending: () => due.size };
}

function memoryClipboard(): TextClipboard & { text: string } {
  return {
    text: '',
    async readText() {
      return this.text;
    },
    async writeText(text) {
      this.text = text;
    },
  };
}

/** Waits for the clipboard's promises that a timer started. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('profilesToRefresh', () => {
  it('skips profiles that cannot renew and sign-ins the server rejected', () => {
    expect(profilesToRefresh(states)).toEqual([
      'planned',
      'renewing',
      'renewed',
      'retrying',
      'locked',
    ]);
  });
});

describe('refreshAllProfiles', () => {
  it('refreshes each renewable profile once and names every failure', async () => {
    const asked: string[] = [];
    const handlers: Pick<CallHandlers, 'getRenewalStates' | 'refreshToken'> = {
      getRenewalStates: async () => ok(states),
      refreshToken: async ({ profile }) => {
        asked.push(profile);
        return profile === 'locked' || profile === 'retrying'
          ? fail('keychain-locked', 'The keychain is locked.')
          : ok({ expiresAt: 10, refreshed: true, signedInAs: null });
      },
    };

    const result = await refreshAllProfiles(handlers);

    expect(asked.sort()).toEqual([
      'locked',
      'planned',
      'renewed',
      'renewing',
      'retrying',
    ]);
    expect(result).toEqual(
      fail(
        'keychain-locked',
        'retrying: The keychain is locked.\nlocked: The keychain is locked.',
      ),
    );
  });

  it('answers with the refreshed profiles when all went well', async () => {
    const result = await refreshAllProfiles({
      getRenewalStates: async () => ok(states),
      refreshToken: async () => ok({ expiresAt: 10, refreshed: true, signedInAs: null }),
    });

    expect(result.ok && result.value.refreshed).toHaveLength(5);
  });
});

describe('the clipboard keeper', () => {
  it('clears the token after the delay while the clipboard still holds it', async () => {
    const clipboard = memoryClipboard();
    const { timers, advance } = manualTimers();
    const keeper = createClipboardKeeper(clipboard, timers);

    await keeper.copy('token-1', 30);
    advance(29_999);
    await settle();
    expect(clipboard.text).toBe('token-1');

    advance(1);
    await settle();
    expect(clipboard.text).toBe('');
  });

  it('leaves what the user copied since', async () => {
    const clipboard = memoryClipboard();
    const { timers, advance } = manualTimers();
    const keeper = createClipboardKeeper(clipboard, timers);

    await keeper.copy('token-1', 30);
    clipboard.text = 'a note the user copied';
    advance(30_000);
    await settle();

    expect(clipboard.text).toBe('a note the user copied');
  });

  it('never clears when the preference says never, and a new copy replaces the old clear', async () => {
    const clipboard = memoryClipboard();
    const { timers, advance, pending } = manualTimers();
    const keeper = createClipboardKeeper(clipboard, timers);

    await keeper.copy('token-1', 30);
    await keeper.copy('token-2', 'never');
    expect(pending()).toBe(0);
    advance(60_000);
    await settle();

    expect(clipboard.text).toBe('token-2');
  });

  it('clears at once on quit, only if the token is still there', async () => {
    const clipboard = memoryClipboard();
    const { timers, pending } = manualTimers();
    const keeper = createClipboardKeeper(clipboard, timers);

    await keeper.copy('token-1', 30);
    await keeper.clearNow();

    expect(clipboard.text).toBe('');
    expect(pending()).toBe(0);
  });
});

describe('copyProfileToken', () => {
  const forCopy: TokenForCopy = {
    token: 'eyJ.secret.token',
    clipboardClearSeconds: 45,
    expiresAt: 10,
    refreshed: false,
    signedInAs: null,
  };

  it('copies the default profile token and does not hand the token back', async () => {
    const clipboard = memoryClipboard();
    const asked: string[] = [];
    const keeper = createClipboardKeeper(clipboard, manualTimers().timers);
    const result = await copyProfileToken(
      {
        getTokenForCopy: async ({ profile }) => {
          asked.push(profile);
          return ok(forCopy);
        },
      },
      keeper,
      'default',
    );

    expect(asked).toEqual(['default']);
    expect(clipboard.text).toBe(forCopy.token);
    expect(result).toEqual(ok({ clearAfterSeconds: 45 }));
  });

  it('leaves the clipboard alone when no token could be had', async () => {
    const clipboard = memoryClipboard();
    clipboard.text = 'before';
    const keeper = createClipboardKeeper(clipboard, manualTimers().timers);
    const result = await copyProfileToken(
      { getTokenForCopy: async () => fail('not-found', 'No profile "default".') },
      keeper,
      'default',
    );

    expect(result.ok).toBe(false);
    expect(clipboard.text).toBe('before');
  });
});

describe('followTrayStatus', () => {
  it('passes on the latest renewal states and keychain check', () => {
    const listeners = new Set<EventListener>();
    const feed = followTrayStatus({
      onEvent: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
    const emit: EventListener = (name, payload) =>
      listeners.forEach((listener) => listener(name, payload));
    const keychain: KeychainStatus = {
      state: 'locked',
      message: 'The keychain is locked.',
      checkedAt: 1,
      orphans: [],
    };

    emit('onKeychainStatus', keychain);
    const shown: TrayStatusInputs[] = [];
    const stop = feed.showIn((inputs) => shown.push(inputs));
    emit('onRenewalStates', {
      clockSkew: null,
      profiles: { default: { kind: 'needs-sign-in' } },
    });
    emit('onFileChanges', []);
    stop();
    emit('onRenewalStates', { clockSkew: null, profiles: {} });

    expect(shown).toEqual([
      { profiles: [], keychain: 'locked' },
      {
        profiles: [{ name: 'default', renewal: { kind: 'needs-sign-in' } }],
        keychain: 'locked',
      },
    ]);
  });
});
