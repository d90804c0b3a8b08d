import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.js';
import { DeadlineQueue, systemTimers } from './deadline-queue.js';
import { defaultRefreshPolicy, plannedRefreshAt, retryDelayMs } from './refresh-plan.js';
import {
  RefreshScheduler,
  type RefreshOutcome,
  type ScheduledProfile,
} from './refresh-scheduler.js';

const start = Date.UTC(2026, 11, 3, 14, 0, 0);
const seconds = (ms: number) => Math.floor(ms / 1000);
const minutes = (count: number) => count * 60_000;
const log = createLogger({ level: 'silent' });
const clock = { now: () => Date.now() };

beforeEach(() => {
  vi.useFakeTimers({ now: start });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the refresh plan', () => {
  const plan = (lifetimeSeconds: number) =>
    plannedRefreshAt(
      { issuedAt: seconds(start), expiresAt: seconds(start) + lifetimeSeconds },
      defaultRefreshPolicy,
    ) - start;

  it('renews at 75 % of the lifetime or 5 min before expiry, whichever comes first', () => {
    expect(plan(3600)).toBe(minutes(45));
    expect(plan(600)).toBe(minutes(5));
  });

  it('never renews later than 60 s before expiry, nor before half the lifetime', () => {
    expect(plan(240)).toBe(120_000);
    expect(plan(5)).toBe(2_500);
  });

  it('keeps 60 s before expiry for tokens of one to two minutes, once a quarter has passed', () => {
    expect(plan(90)).toBe(30_000);
    expect(plan(100)).toBe(40_000);
    expect(plan(70)).toBe(17_500);
    expect(plan(60)).toBe(30_000);
  });

  it('without an issue time, plans 5 min before expiry', () => {
    const at = plannedRefreshAt(
      { issuedAt: null, expiresAt: seconds(start) + 3600 },
      defaultRefreshPolicy,
    );
    expect(at - start).toBe(minutes(55));
  });

  it('backs off from about 5 s to 5 min, never under 5 s', () => {
    const lowest = () => 0;
    const highest = () => 0.999999;
    expect(retryDelayMs(1, lowest)).toBe(5_000);
    expect(retryDelayMs(1, highest)).toBe(5_000);
    expect(retryDelayMs(3, highest)).toBeCloseTo(20_000, -2);
    expect(retryDelayMs(30, highest)).toBeLessThanOrEqual(300_000);
    expect(retryDelayMs(30, lowest)).toBe(150_000);
  });
});

describe('the deadline queue', () => {
  it('uses one timer for any number of deadlines', () => {
    const due: number[] = [];
    const queue = new DeadlineQueue<number>({
      clock,
      timers: systemTimers,
      onDue: (keys) => due.push(...keys),
      onClockJump: () => {},
    });
    for (let index = 0; index < 1000; index += 1) {
      queue.set(index, start + 1000 + index * 10);
    }

    expect(queue.armedTimers).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1000 + 999 * 10);
    expect(due).toHaveLength(1000);
    expect(queue.armedTimers).toBe(0);
  });

  it('chains waits longer than setTimeout allows', () => {
    const due: string[] = [];
    const queue = new DeadlineQueue<string>({
      clock,
      timers: systemTimers,
      onDue: (keys) => due.push(...keys),
      onClockJump: () => {},
      maxWaitMs: 2 ** 31 - 1,
    });
    queue.set('far', start + 40 * 24 * 3_600_000);

    vi.advanceTimersByTime(39 * 24 * 3_600_000);
    expect(due).toEqual([]);
    vi.advanceTimersByTime(24 * 3_600_000);
    expect(due).toEqual(['far']);
  });

  it('checks deadlines against the wall clock and notices when it jumped', () => {
    const due: string[] = [];
    const jumps: number[] = [];
    const queue = new DeadlineQueue<string>({
      clock,
      timers: systemTimers,
      onDue: (keys) => due.push(...keys),
      onClockJump: (jump) => jumps.push(jump),
    });
    queue.set('in-an-hour', start + minutes(60));

    // The computer sleeps for two hours: the wall clock moves, timers do not.
    vi.setSystemTime(start + minutes(120));
    vi.advanceTimersByTime(30_000);

    expect(due).toEqual(['in-an-hour']);
    expect(jumps[0]).toBeGreaterThan(minutes(119));
  });
});

interface Harness {
  scheduler: RefreshScheduler;
  calls: string[];
  /** Why each renewal started, in the order of `calls`. */
  causes: string[];
  outcomes: Map<string, () => RefreshOutcome>;
}

function harness(random = () => 0.5, concurrency?: number): Harness {
  const calls: string[] = [];
  const causes: string[] = [];
  const outcomes = new Map<string, () => RefreshOutcome>();
  const renewed = (): RefreshOutcome => ({
    kind: 'renewed',
    issuedAt: seconds(Date.now()),
    expiresAt: seconds(Date.now()) + 3600,
  });
  const scheduler = new RefreshScheduler({
    clock,
    timers: systemTimers,
    random,
    log,
    ...(concurrency === undefined ? {} : { concurrency }),
    refresh: async (name, cause) => {
      causes.push(cause);
      calls.push(`${name}@${Math.round((Date.now() - start) / 1000)}s`);
      return (outcomes.get(name) ?? renewed)();
    },
  });
  return { scheduler, calls, causes, outcomes };
}

const hourToken = (name: string, issuedAt = seconds(start)): ScheduledProfile => ({
  name,
  canRenew: true,
  issuedAt,
  expiresAt: issuedAt + 3600,
});

describe('the refresh scheduler', () => {
  it('says a renewal moved forward by a wake-up started from the wake, the next from the plan', async () => {
    const { scheduler, causes } = harness(() => 0);
    scheduler.update([hourToken('default')]);
    vi.setSystemTime(start + minutes(50));
    scheduler.wake('the screen was unlocked');
    await vi.advanceTimersByTimeAsync(0);
    expect(causes).toEqual(['wake']);

    await vi.advanceTimersByTimeAsync(minutes(45));
    expect(causes).toEqual(['wake', 'scheduled']);
  });

  it('renews at the planned time, once, then plans the next renewal', async () => {
    const { scheduler, calls } = harness();
    scheduler.update([hourToken('default')]);
    expect(scheduler.stateOf('default')).toEqual({
      kind: 'planned',
      at: start + minutes(45),
    });

    await vi.advanceTimersByTimeAsync(minutes(45) - 1);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['default@2700s']);
    expect(scheduler.stateOf('default')).toMatchObject({
      kind: 'renewed',
      at: start + minutes(45),
      next: start + minutes(90),
    });
  });

  it('moves the plan when another program renewed the token first', async () => {
    const { scheduler, calls } = harness();
    scheduler.update([hourToken('default')]);
    await vi.advanceTimersByTimeAsync(minutes(30));
    scheduler.update([hourToken('default', seconds(start + minutes(30)))]);

    await vi.advanceTimersByTimeAsync(minutes(30));
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(minutes(15));
    expect(calls).toEqual(['default@4500s']);
  });

  it('plans afresh a token whose expiry changed while its renewal was failing', async () => {
    const calls: string[] = [];
    let answer: (outcome: RefreshOutcome) => void = () => {};
    const scheduler = new RefreshScheduler({
      clock,
      timers: systemTimers,
      random: () => 0.5,
      log,
      refresh: (name) => {
        calls.push(name);
        return new Promise((resolve) => (answer = resolve));
      },
    });
    const expiring = { ...hourToken('default'), expiresAt: seconds(start) + 10 };
    scheduler.update([expiring]);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(scheduler.stateOf('default')).toEqual({ kind: 'renewing' });

    // The user sets a later expiry in the form while the server keeps the renewal waiting.
    scheduler.update([{ ...expiring, expiresAt: seconds(start) + 90 * 86_400 }]);
    answer({ kind: 'server-unavailable', message: 'could not reach the auth server' });
    await vi.advanceTimersByTimeAsync(0);

    expect(scheduler.stateOf('default')).toMatchObject({ kind: 'planned' });
    await vi.advanceTimersByTimeAsync(minutes(30));
    expect(calls).toEqual(['default']);
  });

  it('renews at most every 5 s a token that looks due as soon as it arrives', async () => {
    const { scheduler, calls, outcomes } = harness();
    // A server (or a clock) that makes every new token look spent already.
    outcomes.set('default', () => ({
      kind: 'renewed',
      issuedAt: seconds(Date.now()) - 3600,
      expiresAt: seconds(Date.now()) - 10,
    }));
    scheduler.update([{ ...hourToken('default'), expiresAt: seconds(start) + 10 }]);

    await vi.advanceTimersByTimeAsync(minutes(1));

    expect(calls.length).toBeGreaterThan(1);
    expect(calls.length).toBeLessThanOrEqual(12);
  });

  it('plans again with new numbers, leaving a profile that waits for the user', async () => {
    const { scheduler, outcomes } = harness();
    outcomes.set('rejected', () => ({ kind: 'needs-sign-in' }));
    scheduler.update([
      hourToken('default'),
      { ...hourToken('rejected'), expiresAt: seconds(start) + 10 },
    ]);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(scheduler.stateOf('rejected')).toEqual({ kind: 'needs-sign-in' });
    expect(scheduler.stateOf('default')).toEqual({
      kind: 'planned',
      at: start + minutes(45),
    });

    scheduler.setPolicy({ ...defaultRefreshPolicy, lifetimeFraction: 0.9 });

    expect(scheduler.stateOf('default')).toEqual({
      kind: 'planned',
      at: start + minutes(54),
    });
    expect(scheduler.stateOf('rejected')).toEqual({ kind: 'needs-sign-in' });
  });

  it('retries transient failures with growing delays, never twice within 5 s', async () => {
    const { scheduler, calls, outcomes } = harness(() => 0.999);
    outcomes.set('default', () => ({
      kind: 'failed',
      message: 'auth server unavailable',
    }));
    scheduler.update([{ ...hourToken('default'), expiresAt: seconds(start) + 10 }]);

    await vi.advanceTimersByTimeAsync(minutes(3));
    const times = calls.map((call) => Number(/@(\d+)s/.exec(call)?.[1]));
    const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
    expect(gaps.every((gap) => gap >= 5)).toBe(true);
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
    expect(scheduler.stateOf('default')).toMatchObject({
      kind: 'retrying',
      reason: 'auth server unavailable',
    });
  });

  it('stops after the server rejects the sign-in, until the token changes', async () => {
    const { scheduler, calls, outcomes } = harness();
    outcomes.set('default', () => ({ kind: 'needs-sign-in' }));
    scheduler.update([hourToken('default')]);
    await vi.advanceTimersByTimeAsync(minutes(240));
    expect(calls).toHaveLength(1);
    expect(scheduler.stateOf('default')).toEqual({ kind: 'needs-sign-in' });

    scheduler.update([hourToken('default')]);
    await vi.advanceTimersByTimeAsync(minutes(60));
    expect(calls).toHaveLength(1);

    outcomes.delete('default');
    scheduler.update([hourToken('default', seconds(Date.now()))]);
    expect(scheduler.stateOf('default')).toMatchObject({ kind: 'planned' });
  });

  it('keeps retrying while the keychain is locked, and says so', async () => {
    const { scheduler, calls, outcomes } = harness();
    outcomes.set('default', () => ({
      kind: 'keychain-locked',
      message: 'Keychain locked',
    }));
    scheduler.update([{ ...hourToken('default'), expiresAt: seconds(start) + 30 }]);
    await vi.advanceTimersByTimeAsync(minutes(2));

    expect(calls.length).toBeGreaterThan(2);
    expect(scheduler.stateOf('default')).toEqual({
      kind: 'keychain-locked',
      reason: 'Keychain locked',
    });
  });

  it('does not plan what cannot renew itself', () => {
    const { scheduler } = harness();
    scheduler.update([
      {
        name: 'pasted',
        canRenew: false,
        issuedAt: null,
        expiresAt: seconds(start) + 180,
      },
    ]);

    expect(scheduler.stateOf('pasted')).toEqual({
      kind: 'cannot-renew',
      expiresAt: start + 180_000,
    });
    expect(scheduler.armedTimers).toBe(0);
  });

  it('after a long sleep renews everything due at once, spread by jitter', async () => {
    let draw = 0;
    const { scheduler, calls } = harness(() => (draw++ % 10) / 10);
    scheduler.update(Array.from({ length: 10 }, (_, index) => hourToken(`p${index}`)));

    vi.setSystemTime(start + minutes(180));
    await vi.advanceTimersByTimeAsync(30_000 + 3_000);

    expect(calls).toHaveLength(10);
    const times = new Set(calls.map((call) => call.split('@')[1]));
    expect(times.size).toBeGreaterThan(1);
  });

  it('holds one timer for a thousand profiles and forgets removed ones', () => {
    const { scheduler } = harness();
    scheduler.update(
      Array.from({ length: 1000 }, (_, index) =>
        hourToken(`p${index}`, seconds(start) - index),
      ),
    );
    expect(scheduler.armedTimers).toBe(1);
    expect(vi.getTimerCount()).toBe(1);

    scheduler.update([]);
    expect(scheduler.armedTimers).toBe(0);
  });
});

describe('one failing auth server', () => {
  const onServer = (name: string, server: string): ScheduledProfile => ({
    ...hourToken(name),
    expiresAt: seconds(start) + 10,
    server,
  });
  /** Seconds after the start of each renewal attempt of `name`. */
  const attemptsOf = (calls: string[], name: string) =>
    calls
      .filter((call) => call.startsWith(`${name}@`))
      .map((call) => Number(call.split('@')[1]?.replace('s', '')));

  function downUntil(h: Harness, names: string[], upAtMs: number): void {
    for (const name of names) {
      h.outcomes.set(name, () =>
        Date.now() < upAtMs
          ? { kind: 'server-unavailable', message: 'auth server unavailable' }
          : {
              kind: 'renewed',
              issuedAt: seconds(Date.now()),
              expiresAt: seconds(Date.now()) + 3600,
            },
      );
    }
  }

  it('pauses every profile of that server: one tries it at a time, with growing waits', async () => {
    const h = harness(() => 0.999);
    const down = Array.from({ length: 20 }, (_, index) => `a${index}`);
    downUntil(h, down, start + minutes(10));
    h.scheduler.update([
      ...down.map((name) => onServer(name, 'https://auth.a')),
      onServer('b', 'https://auth.b'),
    ]);

    await vi.advanceTimersByTimeAsync(minutes(3));
    const attempts = h.calls.filter((call) => call.startsWith('a'));
    const times = attempts.map((call) => Number(/@(\d+)s/.exec(call)?.[1]));
    // The first due profiles all go at once; after the failure, one at a time.
    const afterFirst = times.filter((time) => time > times[0]!);
    const gaps = afterFirst.slice(1).map((time, index) => time - afterFirst[index]!);
    expect(new Set(afterFirst).size).toBe(afterFirst.length);
    expect(gaps.every((gap) => gap >= 5)).toBe(true);
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
    expect(afterFirst.length).toBeLessThanOrEqual(6);
    // The other server's profile renewed on its own plan.
    expect(attemptsOf(h.calls, 'b')).toEqual([5]);
    for (const name of down) {
      expect(h.scheduler.stateOf(name)).toMatchObject({
        kind: 'retrying',
        reason: 'auth server unavailable',
      });
    }
  });

  it('leaves the backoff of a server the profile no longer uses', async () => {
    const h = harness(() => 0.999);
    h.outcomes.set('lab', () => ({
      kind: 'server-unavailable',
      message: 'auth server unavailable',
    }));
    h.scheduler.update([onServer('lab', 'https://mistyped.example')]);
    await vi.advanceTimersByTimeAsync(minutes(1));
    const failedAttempts = attemptsOf(h.calls, 'lab').length;
    expect(h.scheduler.stateOf('lab')).toMatchObject({ kind: 'retrying' });

    // The address is put right; that server answers.
    h.outcomes.delete('lab');
    h.scheduler.update([onServer('lab', 'https://auth.a')]);
    await vi.advanceTimersByTimeAsync(6_000);

    expect(attemptsOf(h.calls, 'lab').length).toBe(failedAttempts + 1);
    expect(h.scheduler.stateOf('lab')).toMatchObject({ kind: 'renewed' });
  });

  it('lets the rest follow once the probe succeeds, each profile never twice within 5 s', async () => {
    const h = harness(() => 0.5);
    const down = Array.from({ length: 20 }, (_, index) => `a${index}`);
    downUntil(h, down, start + 60_000);
    h.scheduler.update(down.map((name) => onServer(name, 'https://auth.a')));

    await vi.advanceTimersByTimeAsync(minutes(3));
    for (const name of down) {
      const times = attemptsOf(h.calls, name);
      const gaps = times.slice(1).map((time, index) => time - times[index]!);
      expect(gaps.every((gap) => gap >= 5)).toBe(true);
      expect(h.scheduler.stateOf(name)).toMatchObject({ kind: 'renewed' });
    }
    const renewedAt = down.map((name) => attemptsOf(h.calls, name).pop()!);
    // After the server came back at 60 s: the next probe, then everyone within the spread.
    const probeAt = Math.min(...renewedAt);
    expect(probeAt).toBeGreaterThanOrEqual(60);
    expect(Math.max(...renewedAt) - probeAt).toBeLessThanOrEqual(3);
  });

  it('checks the server again when a waiting renewal gets its turn', async () => {
    const h = harness(() => 0.999, 2);
    const down = Array.from({ length: 10 }, (_, index) => `a${index}`);
    downUntil(h, down, start + minutes(10));
    h.scheduler.update(down.map((name) => onServer(name, 'https://auth.a')));

    await vi.advanceTimersByTimeAsync(5_000);
    // Two at once; when they fail, the eight waiting their turn do not try.
    expect(h.calls).toEqual(['a0@5s', 'a1@5s']);
    expect(h.scheduler.stateOf('a9')).toMatchObject({ kind: 'retrying' });
  });

  it('lets everyone follow when a renewal the user asked for gets through', async () => {
    const h = harness(() => 0.999);
    const down = ['a0', 'a1', 'a2', 'a3'];
    downUntil(h, down, start + 21_000);
    h.scheduler.update(down.map((name) => onServer(name, 'https://auth.a')));
    // Tries at 5 s, 10 s and 20 s; the next probe would wait until about 40 s.
    await vi.advanceTimersByTimeAsync(22_000);

    expect(await h.scheduler.renewNow('a3')).toMatchObject({ kind: 'renewed' });
    await vi.advanceTimersByTimeAsync(3_000);
    for (const name of down) {
      expect(h.scheduler.stateOf(name)).toMatchObject({ kind: 'renewed' });
    }
  });

  it('keeps a rejected sign-in to its own profile and renews the others', async () => {
    const h = harness();
    h.outcomes.set('rejected', () => ({ kind: 'needs-sign-in' }));
    h.scheduler.update([
      onServer('rejected', 'https://auth.a'),
      onServer('fine', 'https://auth.a'),
    ]);

    await vi.advanceTimersByTimeAsync(minutes(1));
    expect(h.scheduler.stateOf('rejected')).toEqual({ kind: 'needs-sign-in' });
    expect(h.scheduler.stateOf('fine')).toMatchObject({ kind: 'renewed' });
    expect(attemptsOf(h.calls, 'rejected')).toHaveLength(1);
  });

  it('tries a failing server again after a wake-up, by one profile, without waiting out its backoff', async () => {
    const h = harness(() => 0.999);
    const down = ['a0', 'a1', 'a2'];
    downUntil(h, down, start + 22_000);
    h.scheduler.update(down.map((name) => onServer(name, 'https://auth.a')));
    // Tries at 5 s (all three were due), 10 s and 20 s; the next would be at 40 s.
    await vi.advanceTimersByTimeAsync(21_000);
    expect(h.calls.map((call) => call.split('@')[1])).toEqual([
      '5s',
      '5s',
      '5s',
      '10s',
      '20s',
    ]);

    h.scheduler.wake('the network changed');
    await vi.advanceTimersByTimeAsync(4_000);
    // The probe waits out only its own 5 s since its last try.
    expect(h.calls.slice(5)).toHaveLength(1);
    expect(h.calls[5]).toMatch(/@25s$/);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(h.calls.slice(5)).toHaveLength(3);
    for (const name of down) {
      expect(h.scheduler.stateOf(name)).toMatchObject({ kind: 'renewed' });
    }
  });
});
