import type { Clock } from '../app-services.js';
import type { Logger } from '../logger.js';
import { DeadlineQueue, type Timers } from './deadline-queue.js';
import {
  defaultRefreshPolicy,
  plannedRefreshAt,
  retryDelayMs,
  type RefreshPolicy,
} from './refresh-plan.js';

/** A profile as the scheduler needs to know it, from the latest read of the file. */
export interface ScheduledProfile {
  name: string;
  /** It has a refresh token (file or keychain) or is a service account. */
  canRenew: boolean;
  /** Effective expiry in POSIX seconds, or null when unknown or there is no token. */
  expiresAt: number | null;
  /** The token's `iat`, or null. */
  issuedAt: number | null;
  /**
   * The server it renews from (its origin); profiles of one server back off
   * together when it fails. Null or absent: the profile backs off alone.
   */
  server?: string | null;
}

export type RefreshOutcome =
  | { kind: 'renewed'; expiresAt: number; issuedAt: number | null }
  | { kind: 'needs-sign-in' }
  | { kind: 'keychain-locked'; message: string }
  /** The server failed or could not be reached: a 5xx, a web page, a timeout, a network error. */
  | { kind: 'server-unavailable'; message: string }
  | { kind: 'failed'; message: string };

/** What the user is told about a profile's renewal. Times in ms since the epoch. */
export type RenewalState =
  | { kind: 'planned'; at: number }
  | { kind: 'renewing' }
  | { kind: 'renewed'; at: number; next: number | null }
  | { kind: 'retrying'; at: number; reason: string }
  | { kind: 'needs-sign-in' }
  | { kind: 'keychain-locked'; reason: string }
  | { kind: 'cannot-renew'; expiresAt: number | null };

/** Why the scheduler starts a renewal: its plan, or a wake-up (sleep, unlock, a clock jump). */
export type RenewalCause = 'scheduled' | 'wake';

export interface RefreshSchedulerOptions {
  clock: Clock;
  timers: Timers;
  random: () => number;
  /** Renews one profile; shares any refresh already running for it. */
  refresh(name: string, cause: RenewalCause): Promise<RefreshOutcome>;
  log: Logger;
  policy?: RefreshPolicy;
  /** After a wake-up, due refreshes are spread over this many ms. */
  wakeJitterMs?: number;
  /**
   * Planned renewals at once; the rest wait their turn in the order they came
   * due, and each is checked against its server's backoff when its turn comes.
   */
  concurrency?: number;
}

interface Entry {
  profile: ScheduledProfile;
  /** When this token was first seen: its age when the token carries no `iat`. */
  seenAt: number;
  /** Whether the latest update brought a different token expiry, or another server. */
  tokenChanged: boolean;
  /** The expiry changed while a renewal was under way; looked at once it settles. */
  changedWhileRunning: boolean;
  state: RenewalState;
  failures: number;
  running: boolean;
  /** After a failure, the earliest time another attempt may start: never two within 5 s. */
  notBefore: number;
  /** A wake-up moved this profile's renewal forward. */
  woken: boolean;
}

/** One auth server's backoff, shared by every profile that renews from it. */
interface ServerGate {
  failures: number;
  /** No profile of the server tries it again before this instant. */
  until: number;
  reason: string;
  /** The one profile that tries the server next; the others wait for its answer. */
  probe: string | null;
  /** Profiles that came due while the server was failing, waiting for the probe to succeed. */
  parked: Set<string>;
}

const minimumGapMs = 5_000;

/**
 * The shortest wait before a profile renews again after a success: 5 s, or
 * half the new token's life when that is shorter. A token that looks due the
 * moment it arrives (a wrong clock, a server issuing spent tokens) would
 * otherwise be renewed again and again without pause.
 */
function gapAfterRenewalMs(
  outcome: Extract<RefreshOutcome, { kind: 'renewed' }>,
  nowMs: number,
): number {
  const lifetimeMs =
    outcome.issuedAt === null
      ? outcome.expiresAt * 1000 - nowMs
      : (outcome.expiresAt - outcome.issuedAt) * 1000;

  return Math.max(0, Math.min(minimumGapMs, lifetimeMs / 2));
}

/**
 * Keeps every renewable profile fresh: one deadline per profile in a single
 * timer queue, renewals planned from each token's lifetime, transient failures
 * retried with backoff, and a rejected sign-in left alone until the user signs
 * in again. The file is the source of truth: when another program renews a
 * token, the next `update` moves the plan instead of renewing twice.
 */
export class RefreshScheduler {
  readonly #options: RefreshSchedulerOptions;
  #policy: RefreshPolicy;
  readonly #entries = new Map<string, Entry>();
  /** Due profiles waiting for a free turn, oldest first. */
  readonly #waiting = new Set<string>();
  /** Planned renewals under way. */
  #active = 0;
  #stopped = false;
  readonly #queue: DeadlineQueue<string>;
  readonly #listeners = new Set<(name: string, state: RenewalState) => void>();
  /** Auth servers that failed and have not answered since, by origin. */
  readonly #gates = new Map<string, ServerGate>();

  constructor(options: RefreshSchedulerOptions) {
    this.#options = options;
    this.#policy = options.policy ?? defaultRefreshPolicy;
    this.#queue = new DeadlineQueue({
      clock: options.clock,
      timers: options.timers,
      onDue: (names) => names.forEach((name) => void this.#renew(name)),
      onClockJump: (jumpMs) =>
        this.wake(`the clock moved ${Math.round(jumpMs / 1000)} s`),
    });
  }

  get armedTimers(): number {
    return this.#queue.armedTimers;
  }

  stateOf(name: string): RenewalState | undefined {
    return this.#entries.get(name)?.state;
  }

  onState(listener: (name: string, state: RenewalState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Takes the profiles as the file now shows them. */
  update(profiles: readonly ScheduledProfile[]): void {
    const seen = new Set<string>();
    for (const profile of profiles) {
      seen.add(profile.name);
      this.#updateOne(profile);
    }
    for (const name of [...this.#entries.keys()].filter((each) => !seen.has(each))) {
      this.#leaveGate(name, this.#entries.get(name)?.profile.server);
      this.#entries.delete(name);
      this.#queue.delete(name);
    }
  }

  /** After sleep, unlock or a network change: renew whatever is due now, a little spread out. */
  wake(reason: string): void {
    this.#options.log.info({ reason }, 'woke up; renewing whatever is due');
    const now = this.#options.clock.now();
    const spread = this.#options.wakeJitterMs ?? 3_000;
    // The network may be back: each failing server is tried again now, by one profile.
    for (const gate of this.#gates.values()) {
      gate.until = Math.min(gate.until, now);
    }
    for (const [name, entry] of this.#entries) {
      const at = this.#queue.deadlineOf(name);
      const isWaiting =
        entry.state.kind === 'keychain-locked' || entry.state.kind === 'retrying';
      if ((at !== undefined && at <= now + spread) || isWaiting) {
        entry.woken = true;
        this.#queue.set(
          name,
          Math.max(now + this.#options.random() * spread, entry.notBefore),
        );
      }
    }
  }

  /**
   * Takes the outcome of a renewal made outside the scheduler (the Refresh
   * button, Copy) as if it had made it; ignored while one of its own is under
   * way, whose outcome follows.
   */
  record(name: string, outcome: RefreshOutcome): void {
    const entry = this.#entries.get(name);
    if (entry === undefined || entry.running) return;
    this.#queue.delete(name);
    this.#settle(name, entry, outcome);
  }

  /**
   * Plans with new renewal numbers. Only profiles waiting for a planned
   * renewal move; one waiting out a failure, or for the user to sign in
   * again, stays as it is.
   */
  setPolicy(policy: RefreshPolicy): void {
    this.#policy = policy;
    for (const entry of this.#entries.values()) {
      const planned = entry.state.kind === 'planned' || entry.state.kind === 'renewed';
      if (planned && !entry.running && entry.profile.canRenew) this.#plan(entry);
    }
  }

  /** Renews a profile now, outside its plan (the Refresh button, copying a token). */
  async renewNow(name: string): Promise<RefreshOutcome | undefined> {
    return this.#entries.has(name) ? this.#renew(name, true) : undefined;
  }

  stop(): void {
    this.#stopped = true;
    this.#waiting.clear();
    this.#queue.stop();
  }

  #updateOne(profile: ScheduledProfile): void {
    const entry = this.#entryFor(profile);
    if (entry.running) {
      entry.changedWhileRunning ||= entry.tokenChanged;
      return;
    }
    this.#follow(entry);
  }

  /** Plans the profile as its entry now shows it, unless it waits for the user or a plan stands. */
  #follow(entry: Entry): void {
    const { profile } = entry;
    if (!profile.canRenew) {
      this.#queue.delete(profile.name);
      const expiresAt = profile.expiresAt === null ? null : profile.expiresAt * 1000;
      this.#setState(profile.name, { kind: 'cannot-renew', expiresAt });
      return;
    }

    // A sign-in the server rejected stays rejected until the token changes.
    const waitingForUser = entry.state.kind === 'needs-sign-in' && !entry.tokenChanged;
    if (waitingForUser) {
      return;
    }
    if (entry.tokenChanged || entry.state.kind === 'cannot-renew') {
      // Renewed elsewhere: this profile no longer waits for its server.
      this.#leaveGate(profile.name, profile.server);
      entry.failures = 0;
      this.#plan(entry);
    }
  }

  /** The profile's entry, created or updated, noting whether its token changed. */
  #entryFor(profile: ScheduledProfile): Entry {
    const now = this.#options.clock.now();
    const entry = this.#entries.get(profile.name);
    if (entry === undefined) {
      const created: Entry = {
        profile,
        seenAt: now,
        tokenChanged: true,
        changedWhileRunning: false,
        state: { kind: 'planned', at: now },
        failures: 0,
        running: false,
        notBefore: 0,
        woken: false,
      };
      this.#entries.set(profile.name, created);
      return created;
    }

    const serverChanged = (entry.profile.server ?? null) !== (profile.server ?? null);
    if (entry.profile.expiresAt !== profile.expiresAt) {
      entry.seenAt = now;
    }
    // A new server (a mistyped address put right) owes nothing to the old one's backoff.
    entry.tokenChanged = entry.profile.expiresAt !== profile.expiresAt || serverChanged;
    if (serverChanged) {
      this.#leaveGate(profile.name, entry.profile.server);
    }
    entry.profile = profile;
    return entry;
  }

  #plan(entry: Entry): void {
    const { profile } = entry;
    const now = this.#options.clock.now();
    const at =
      profile.expiresAt === null
        ? now
        : Math.max(
            plannedRefreshAt(
              { expiresAt: profile.expiresAt, issuedAt: profile.issuedAt },
              this.#policy,
            ),
            now,
          );
    const when = Math.max(at, entry.notBefore);
    this.#queue.set(profile.name, when);
    if (entry.state.kind !== 'renewed') {
      this.#setState(profile.name, { kind: 'planned', at: when });
    } else {
      this.#setState(profile.name, { ...entry.state, next: when });
    }
  }

  async #renew(name: string, asked = false): Promise<RefreshOutcome | undefined> {
    const entry = this.#entries.get(name);
    if (entry === undefined || (!asked && !this.#mayStart(name, entry))) {
      return undefined;
    }
    entry.running = true;
    this.#queue.delete(name);
    this.#setState(name, { kind: 'renewing' });

    const cause = entry.woken ? 'wake' : 'scheduled';
    entry.woken = false;
    let outcome: RefreshOutcome;
    if (!asked) this.#active += 1;
    try {
      outcome = await this.#options.refresh(name, cause);
    } catch (error) {
      this.#options.log.error({ err: error }, 'a renewal failed unexpectedly');
      outcome = { kind: 'failed', message: 'something went wrong inside the app' };
    } finally {
      if (!asked) this.#active -= 1;
    }
    entry.running = false;
    this.#settle(name, entry, outcome);
    if (entry.changedWhileRunning) {
      // Edited or renewed elsewhere meanwhile: a failure then says nothing
      // about the token the file holds now, which is planned afresh.
      entry.changedWhileRunning = false;
      if (outcome.kind !== 'renewed') {
        entry.tokenChanged = true;
        this.#follow(entry);
      }
    }
    this.#startWaiting();
    return outcome;
  }

  /**
   * Whether a planned renewal may start now: a free turn (else it waits in
   * line) and a server that is not failing. A renewal the user asked for
   * always goes ahead.
   */
  #mayStart(name: string, entry: Entry): boolean {
    if (this.#stopped || entry.running) {
      return false;
    }
    if (this.#active >= (this.#options.concurrency ?? Infinity)) {
      this.#queue.delete(name);
      this.#waiting.add(name);
      return false;
    }

    return !this.#heldByServer(name, entry);
  }

  /** Starts waiting renewals while turns are free; one planned again meanwhile keeps its new plan. */
  #startWaiting(): void {
    for (const name of this.#waiting) {
      if (this.#stopped || this.#active >= (this.#options.concurrency ?? Infinity)) {
        return;
      }
      this.#waiting.delete(name);
      if (this.#queue.deadlineOf(name) === undefined) {
        void this.#renew(name);
      }
    }
  }

  #settle(name: string, entry: Entry, outcome: RefreshOutcome): void {
    const now = this.#options.clock.now();
    switch (outcome.kind) {
      case 'renewed':
        entry.notBefore = now + gapAfterRenewalMs(outcome, now);
        entry.seenAt = now;
        // Plan from the new token now rather than waiting for the file to be
        // read again, which would briefly show the old, due token.
        entry.failures = 0;
        entry.profile = {
          ...entry.profile,
          expiresAt: outcome.expiresAt,
          issuedAt: outcome.issuedAt,
        };
        this.#setState(name, { kind: 'renewed', at: now, next: null });
        this.#plan(entry);
        this.#serverAnswered(name, entry.profile.server);
        return;
      case 'needs-sign-in':
        // The server answered: the rejection is this profile's alone.
        this.#setState(name, { kind: 'needs-sign-in' });
        this.#serverAnswered(name, entry.profile.server);
        return;
      case 'server-unavailable':
        this.#serverFailed(name, entry, outcome.message);
        return;
      case 'keychain-locked':
        this.#passProbeOn(name, entry.profile.server);
        this.#retry(name, entry, outcome.message, 'keychain-locked');
        return;
      case 'failed':
        this.#passProbeOn(name, entry.profile.server);
        this.#retry(name, entry, outcome.message, 'retrying');
        return;
    }
  }

  /**
   * Whether a due profile must wait because its server is failing. One
   * profile at a time (the probe) tries the server when its backoff ends; the
   * others wait for the probe's answer instead of each retrying on its own.
   */
  #heldByServer(name: string, entry: Entry): boolean {
    const gate = this.#gateOf(entry.profile.server);
    if (gate === undefined) {
      return false;
    }
    const now = this.#options.clock.now();
    const probe = gate.probe;
    if (probe === null || probe === name || !this.#entries.has(probe)) {
      gate.probe = name;
      gate.parked.delete(name);
      if (now >= gate.until) {
        return false;
      }
      this.#queue.set(name, Math.max(gate.until, entry.notBefore));
    } else {
      gate.parked.add(name);
    }
    this.#setState(name, { kind: 'retrying', at: gate.until, reason: gate.reason });

    return true;
  }

  /**
   * A transient failure of the profile's server: the server's backoff grows
   * and this profile tries it next. Renewals that were already under way when
   * the server first failed wait with the rest and do not grow the backoff.
   */
  #serverFailed(name: string, entry: Entry, reason: string): void {
    const server = entry.profile.server ?? null;
    if (server === null) {
      this.#retry(name, entry, reason, 'retrying');
      return;
    }
    const now = this.#options.clock.now();
    entry.notBefore = now + minimumGapMs;
    const gate = this.#gates.get(server);
    if (gate !== undefined && gate.probe !== null && gate.probe !== name) {
      gate.parked.add(name);
      this.#setState(name, { kind: 'retrying', at: gate.until, reason: gate.reason });
      return;
    }

    const failing = gate ?? {
      failures: 0,
      until: 0,
      reason,
      probe: null,
      parked: new Set(),
    };
    failing.failures += 1;
    failing.until = now + retryDelayMs(failing.failures, this.#options.random);
    failing.reason = reason;
    failing.probe = name;
    this.#gates.set(server, failing);
    this.#queue.set(name, Math.max(failing.until, entry.notBefore));
    const state: RenewalState = { kind: 'retrying', at: failing.until, reason };
    this.#setState(name, state);
    failing.parked.forEach((parked) => this.#setState(parked, state));
  }

  /** The server answered: its backoff ends and the profiles waiting for it renew, a little spread out. */
  #serverAnswered(answered: string, server: string | null | undefined): void {
    const gate = this.#gateOf(server);
    if (gate === undefined || server == null) {
      return;
    }
    this.#gates.delete(server);
    const now = this.#options.clock.now();
    const spread = this.#options.wakeJitterMs ?? 3_000;
    // The probe too, when another renewal (a Refresh) was the one that got through.
    const waiting = gate.probe === null ? gate.parked : [...gate.parked, gate.probe];
    for (const name of waiting) {
      const entry = this.#entries.get(name);
      if (name === answered || entry === undefined || entry.running) {
        continue;
      }
      const at = Math.max(now + this.#options.random() * spread, entry.notBefore);
      this.#queue.set(name, at);
      this.#setState(name, { kind: 'planned', at });
    }
  }

  /**
   * The probe failed for a reason of its own (keychain, file): it says
   * nothing about the server, so the next waiting profile tries it instead.
   */
  #passProbeOn(name: string, server: string | null | undefined): void {
    const gate = this.#gateOf(server);
    if (gate === undefined || gate.probe !== name) {
      return;
    }
    gate.probe = null;
    const [next] = gate.parked;
    const entry = next === undefined ? undefined : this.#entries.get(next);
    if (next === undefined || entry === undefined) {
      return;
    }
    gate.parked.delete(next);
    gate.probe = next;
    this.#queue.set(
      next,
      Math.max(gate.until, entry.notBefore, this.#options.clock.now()),
    );
  }

  /** The profile no longer waits for its server (renewed elsewhere, removed, moved). */
  #leaveGate(name: string, server: string | null | undefined): void {
    const gate = this.#gateOf(server);
    if (gate === undefined) {
      return;
    }
    gate.parked.delete(name);
    this.#passProbeOn(name, server);
  }

  #gateOf(server: string | null | undefined): ServerGate | undefined {
    return server == null ? undefined : this.#gates.get(server);
  }

  #retry(
    name: string,
    entry: Entry,
    reason: string,
    kind: 'retrying' | 'keychain-locked',
  ): void {
    entry.failures += 1;
    entry.notBefore = this.#options.clock.now() + minimumGapMs;
    const at = Math.max(
      this.#options.clock.now() + retryDelayMs(entry.failures, this.#options.random),
      entry.notBefore,
    );
    this.#queue.set(name, at);
    this.#setState(name, kind === 'retrying' ? { kind, at, reason } : { kind, reason });
  }

  #setState(name: string, state: RenewalState): void {
    const entry = this.#entries.get(name);
    if (entry === undefined) {
      return;
    }
    entry.state = state;
    for (const listener of this.#listeners) {
      listener(name, state);
    }
  }
}
