import type { CallHandlers } from '../../shared/contract.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type {
  KeychainStatus,
  RenewalState,
  RenewalStates,
} from '../../shared/token-types.js';
import type { AppServices } from '../core/app-services.js';
import type { Timers } from '../core/scheduler/deadline-queue.js';
import type { TrayStatusInputs } from './tray-status.js';

/**
 * The profiles "Refresh All" renews. Profiles without a refresh token cannot
 * be renewed, and a sign-in the server rejected would only be rejected again.
 */
export function profilesToRefresh(states: RenewalStates): string[] {
  const skipped: ReadonlySet<RenewalState['kind']> = new Set([
    'cannot-renew',
    'needs-sign-in',
  ]);

  return Object.entries(states.profiles)
    .filter(([, state]) => !skipped.has(state.kind))
    .map(([name]) => name);
}

export interface RefreshAllReceipt {
  refreshed: string[];
}

/** Renews every renewable profile at once; a failure names each profile that failed. */
export async function refreshAllProfiles(
  handlers: Pick<CallHandlers, 'getRenewalStates' | 'refreshToken'>,
): Promise<Result<RefreshAllReceipt>> {
  const states = await handlers.getRenewalStates({});
  if (!states.ok) return states;
  const names = profilesToRefresh(states.value);
  const results = await Promise.all(
    names.map(async (profile) => ({
      profile,
      result: await handlers.refreshToken({ profile }),
    })),
  );
  const failures = results.flatMap(({ profile, result }) =>
    result.ok ? [] : [{ profile, error: result.error }],
  );
  const [first] = failures;
  if (first !== undefined) {
    const lines = failures.map(({ profile, error }) => `${profile}: ${error.message}`);
    return fail(first.error.code, lines.join('\n'));
  }

  return ok({ refreshed: names });
}

/** The parts of a clipboard the copy needs: Electron's, or a fake in tests. */
export interface TextClipboard {
  readText(): Promise<string>;
  writeText(text: string): Promise<void>;
}

/** Puts a token on the clipboard and takes it off again later. */
export interface ClipboardKeeper {
  /** Copies the text; after `clearAfterSeconds` the clipboard is cleared if it still holds it. */
  copy(text: string, clearAfterSeconds: number | 'never'): Promise<void>;
  /** Clears a copied text now (the app is quitting), if the clipboard still holds it. */
  clearNow(): Promise<void>;
}

/**
 * The clipboard is cleared only while it still holds the copied text, so
 * something the user copied since is never wiped. A new copy replaces the
 * pending clear of the previous one.
 */
export function createClipboardKeeper(
  clipboard: TextClipboard,
  timers: Timers,
): ClipboardKeeper {
  let pending: { text: string; timer: unknown } | null = null;
  const forget = () => {
    if (pending !== null) timers.clearTimeout(pending.timer);
    const forgotten = pending;
    pending = null;
    return forgotten;
  };
  const clearNow = async () => {
    const copied = forget();
    if (copied === null) return;
    if ((await clipboard.readText()) === copied.text) await clipboard.writeText('');
  };

  return {
    async copy(text, clearAfterSeconds) {
      forget();
      await clipboard.writeText(text);
      if (clearAfterSeconds === 'never') return;
      // A clipboard that cannot be read back is left as it is, never blindly wiped.
      const clearLater = () => void clearNow().catch(() => undefined);
      pending = { text, timer: timers.setTimeout(clearLater, clearAfterSeconds * 1000) };
    },
    clearNow,
  };
}

export interface CopiedToken {
  clearAfterSeconds: number | 'never';
}

/** Copies a profile's fresh token; the result never carries the token itself. */
export async function copyProfileToken(
  handlers: Pick<CallHandlers, 'getTokenForCopy'>,
  keeper: ClipboardKeeper,
  profile: string,
): Promise<Result<CopiedToken>> {
  const copied = await handlers.getTokenForCopy({ profile });
  if (!copied.ok) return copied;
  const { token, clipboardClearSeconds } = copied.value;
  await keeper.copy(token, clipboardClearSeconds);

  return ok({ clearAfterSeconds: clipboardClearSeconds });
}

/** The latest renewal states and keychain check, passed on to whoever shows them. */
export interface TrayStatusFeed {
  /** Shows the latest status now and after every change; returns a function that stops it. */
  showIn(show: (inputs: TrayStatusInputs) => void): () => void;
}

/**
 * Follows the services' renewal and keychain events. Made before the
 * services start, so the first keychain check is not missed.
 */
export function followTrayStatus(services: Pick<AppServices, 'onEvent'>): TrayStatusFeed {
  let renewal: RenewalStates = { profiles: {}, clockSkew: null };
  let keychain: KeychainStatus | null = null;
  let show: ((inputs: TrayStatusInputs) => void) | null = null;
  const inputs = (): TrayStatusInputs => ({
    profiles: Object.entries(renewal.profiles).map(([name, state]) => ({
      name,
      renewal: state,
    })),
    keychain: keychain?.state ?? null,
  });

  const stop = services.onEvent((name, payload) => {
    if (name === 'onRenewalStates') renewal = payload as RenewalStates;
    else if (name === 'onKeychainStatus') keychain = payload as KeychainStatus;
    else return;
    show?.(inputs());
  });

  return {
    showIn(shower) {
      show = shower;
      shower(inputs());
      return stop;
    },
  };
}
