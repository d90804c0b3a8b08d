import type { ProfileSummary } from '../../../shared/profile-types.js';
import type { RenewalState, RenewalStates } from '../../../shared/token-types.js';
import type { ClockSkewTracker } from '../auth/clock-skew.js';
import { DEFAULT_AUTH_SERVER_URL } from '../auth/refresh.js';
import type { Logger } from '../logger.js';
import { systemTimers, type Timers } from '../scheduler/deadline-queue.js';
import {
  RefreshScheduler,
  type RefreshOutcome,
  type ScheduledProfile,
} from '../scheduler/refresh-scheduler.js';
import type { SettingsStore } from './settings-store.js';
import type { TokenOutcome, TokenService } from './token-service.js';

export interface BackgroundRenewalDeps {
  tokens: TokenService;
  settings: SettingsStore;
  clock: ClockSkewTracker;
  log: Logger;
  timers?: Timers;
  random?: () => number;
  /** Told every profile's state whenever one changes. */
  onStates(states: RenewalStates): void;
}

/**
 * Keeps every renewable profile's token fresh in the file through the
 * scheduler, renewing with the same token service (and so the same single
 * flight and lock) as the Refresh button, Copy and the command line.
 */
export class BackgroundRenewal {
  readonly #deps: BackgroundRenewalDeps;
  readonly #states = new Map<string, RenewalState>();
  #scheduler: RefreshScheduler | undefined;
  #latest: readonly ProfileSummary[] = [];
  #publishTimer: unknown = undefined;

  constructor(deps: BackgroundRenewalDeps) {
    this.#deps = deps;
    deps.clock.onChange(() => this.#publish());
    // Where a sign-in is kept decides whether a profile can renew itself: a
    // move to the keychain takes the refresh token out of the file first.
    deps.settings.onChange(() => this.update(this.#latest));
  }

  start(): void {
    this.#scheduler = this.#createScheduler();
    this.update(this.#latest);
  }

  /** Plans no more renewals and cancels pending state messages; renewals under way go on. */
  stop(): void {
    this.#scheduler?.stop();
    this.#scheduler = undefined;
    if (this.#publishTimer !== undefined) {
      (this.#deps.timers ?? systemTimers).clearTimeout(this.#publishTimer);
      this.#publishTimer = undefined;
    }
  }

  /** Takes the profiles as the file now shows them. */
  update(profiles: readonly ProfileSummary[]): void {
    this.#latest = profiles;
    this.#scheduler?.update(profiles.map((profile) => this.#scheduled(profile)));
  }

  /**
   * A renewal the user asked for (Refresh, Copy) ended: its outcome moves the
   * profile's plan and state as a planned renewal's would, so the window says
   * "Needs sign-in again" after a rejected Refresh too. A token that was
   * still good, and so not renewed, changes nothing.
   */
  noteOutcome(name: string, result: TokenOutcome): void {
    if (result.ok && !result.value.refreshed) return;
    this.#scheduler?.record(name, renewalOutcome(result, this.#deps.clock.now()));
  }

  /** After sleep or screen unlock: renew whatever is due now. */
  wake(reason: string): void {
    this.#scheduler?.wake(reason);
  }

  /** When the renewal numbers change, plans are made again with the new ones. */
  usePolicy(): void {
    this.#scheduler?.setPolicy({ ...this.#deps.settings.preferences.refresh });
  }

  /**
   * Every profile's state, its times on the computer's own clock: plans are
   * made in the auth server's time, but the window counts down by its own.
   */
  states(): RenewalStates {
    const clock = this.#deps.clock;
    const profiles = [...this.#states].map(([name, state]) => [
      name,
      withLocalTimes(state, (ms) => clock.toLocal(ms)),
    ]);

    return { profiles: Object.fromEntries(profiles), clockSkew: clock.words };
  }

  #createScheduler(): RefreshScheduler {
    const scheduler = new RefreshScheduler({
      clock: this.#deps.clock,
      timers: this.#deps.timers ?? systemTimers,
      random: this.#deps.random ?? Math.random,
      refresh: async (name, cause) =>
        renewalOutcome(
          await this.#deps.tokens.refresh(name, { trigger: cause }),
          this.#deps.clock.now(),
        ),
      concurrency: concurrentRenewals,
      log: this.#deps.log,
      policy: { ...this.#deps.settings.preferences.refresh },
    });
    scheduler.onState((name, state) => {
      this.#states.set(name, state);
      this.#publishSoon();
    });

    return scheduler;
  }

  #scheduled(profile: ProfileSummary): ScheduledProfile {
    const settings = this.#deps.settings.profile(profile.name);
    const keychainSignIn =
      settings.signInStore === 'keychain' &&
      (profile.hasToken || profile.refreshTokenId !== null);
    const serviceAccount = settings.kind === 'service-account';
    const canRenew = serviceAccount || profile.hasRefreshToken || keychainSignIn;
    // Service accounts get their tokens from the data API, people from the auth server.
    const server = serviceAccount
      ? originOf(profile.dataBaseUrl)
      : originOf(profile.authServerUrl ?? DEFAULT_AUTH_SERVER_URL);

    return {
      name: profile.name,
      canRenew,
      expiresAt: profile.expiresAt,
      issuedAt: profile.issuedAt ?? null,
      server,
    };
  }

  /**
   * States change in bursts (every due profile at once after a wake-up, each
   * one twice); the window hears once per burst, not once per change, which
   * with thousands of profiles would resend every state thousands of times.
   */
  #publishSoon(): void {
    if (this.#publishTimer !== undefined) return;
    const timers = this.#deps.timers ?? systemTimers;
    this.#publishTimer = timers.setTimeout(() => {
      this.#publishTimer = undefined;
      this.#publish();
    }, publishDelayMs);
  }

  #publish(): void {
    const names = new Set(this.#latest.map((profile) => profile.name));
    for (const name of [...this.#states.keys()].filter((each) => !names.has(each))) {
      this.#states.delete(name);
    }
    this.#deps.onStates(this.states());
  }
}

function withLocalTimes(
  state: RenewalState,
  toLocal: (ms: number) => number,
): RenewalState {
  switch (state.kind) {
    case 'planned':
    case 'retrying':
      return { ...state, at: toLocal(state.at) };
    case 'renewed':
      return {
        ...state,
        at: toLocal(state.at),
        next: state.next === null ? null : toLocal(state.next),
      };
    default:
      return state;
  }
}

/** How long state changes gather before the window is told. */
const publishDelayMs = 100;

/**
 * Renewals at once: few enough that a file full of long-expired tokens does
 * not flood the auth server, many enough that a burst of due profiles shares
 * its work: renewals running together read the file once under their locks
 * and land in one write, so more at once costs less per renewal (measured with
 * fifty 5-second tokens: 4 at once took 15 ms of CPU and 0.6 file writes per
 * renewal, 16 at once 9 ms and 0.25 writes).
 */
const concurrentRenewals = 16;

/** The scheme, host and port of a server address; null when it is not one. */
function originOf(url: string | null): string | null {
  if (url === null || url === '') {
    return null;
  }
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The scheduler's words for a renewal's outcome. */
export function renewalOutcome(result: TokenOutcome, nowMs: number): RefreshOutcome {
  if (result.ok) {
    // A token with no known expiry is planned as if it lived an hour, as a guess that errs early.
    const expiresAt = result.value.expiresAt ?? nowMs / 1000 + 3600;
    return { kind: 'renewed', expiresAt, issuedAt: result.value.issuedAt };
  }
  if (result.keychain !== undefined) {
    return { kind: 'keychain-locked', message: result.keychain.message };
  }
  if (result.failure.kind === 'needs-sign-in') {
    return { kind: 'needs-sign-in' };
  }
  if (result.failure.kind === 'server-unavailable' || result.failure.kind === 'network') {
    return { kind: 'server-unavailable', message: result.failure.message };
  }

  return { kind: 'failed', message: result.failure.message };
}
