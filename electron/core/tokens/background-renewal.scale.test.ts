import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  startAuthServer,
  type AuthServer,
  type LoggedRequest,
} from '../../../e2e/auth-server/auth-server.js';
import type { EventName, EventPayload } from '../../../shared/contract.js';
import type { RenewalState, SignInProgress } from '../../../shared/token-types.js';
import { createAppServices, type AppServices } from '../app-services.js';
import type { FetchLike } from '../auth/auth-http.js';
import { createLogger } from '../logger.js';
import type { Timers } from '../scheduler/deadline-queue.js';
import { unavailableKeychain, valueIn } from './testing-app.js';

/**
 * Background renewal at scale, through the app's real services against the
 * real OAuth server with 5-second access tokens and rotating refresh tokens:
 * many profiles for a minute, a simulated sleep and resume, and an auth server
 * that fails for 30 s and then recovers. Every refresh request is watched on
 * its way out: with rotation a refresh token sent twice would be refused and
 * revoke the sign-in, so each must be sent once only.
 */

/** One refresh request as the app sent it and the server answered it. */
interface RefreshCall {
  /** The sign-in this refresh token descends from: one per profile. */
  chain: string;
  sentAt: number;
  answeredAt: number;
  status: number;
  error: string | null;
}

/** The app's services over a temporary home, with every refresh request recorded. */
interface ScaleApp {
  services: AppServices;
  calls: RefreshCall[];
  /** Every refresh token value sent, in order (kept only in memory, never printed). */
  sentRefreshTokens: string[];
  /** Refresh tokens sent that no sign-in or earlier refresh had issued. */
  unknownSent: number;
  /** Each profile's planned renewal instants, as the renewal states told them. */
  plans: Map<string, Array<{ toldAt: number; at: number }>>;
  /** Every state each profile went through, with when it was told. */
  stateLog: Map<string, Array<{ toldAt: number; state: RenewalState }>>;
  logLines: string[];
  readConfig(): Promise<string>;
  /** The sign-in chain that the profile's refresh token in `config` belongs to. */
  chainOf(config: string, profile: string): string | undefined;
  progress(match: (progress: SignInProgress) => boolean): Promise<SignInProgress>;
  close(): Promise<void>;
}

function formOf(body: unknown): URLSearchParams | null {
  if (body instanceof URLSearchParams) return body;
  if (typeof body === 'string') return new URLSearchParams(body);
  return null;
}

async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  try {
    return (await response.clone().json()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function startScaleApp(timers?: Timers): Promise<ScaleApp> {
  const root = await mkdtemp(join(tmpdir(), 'renewal-scale-'));
  const home = join(root, 'home');
  const logLines: string[] = [];
  const log = createLogger({
    level: 'info',
    homeDir: home,
    destination: { write: (line: string) => logLines.push(line) },
  });
  const calls: RefreshCall[] = [];
  const sentRefreshTokens: string[] = [];
  // Refresh token -> the first refresh token of its sign-in.
  const chains = new Map<string, string>();
  let unknownSent = 0;

  const watchedFetch: FetchLike = async (input, init) => {
    const form = formOf(init?.body);
    const grant = form?.get('grant_type');
    const sent = form?.get('refresh_token') ?? '';
    const sentAt = Date.now();
    const response = await fetch(input, init);
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
      const issued = (await jsonOf(response)).refresh_token;
      if (typeof issued === 'string') chains.set(issued, issued);
    }
    if (grant === 'refresh_token') {
      const body = await jsonOf(response);
      const chain = chains.get(sent);
      if (chain === undefined) unknownSent += 1;
      sentRefreshTokens.push(sent);
      if (typeof body.refresh_token === 'string' && chain !== undefined) {
        chains.set(body.refresh_token, chain);
      }
      calls.push({
        chain: chain ?? 'unknown',
        sentAt,
        answeredAt: Date.now(),
        status: response.status,
        error: typeof body.error === 'string' ? body.error : null,
      });
    }
    return response;
  };

  const services = createAppServices({
    homeDir: home,
    dataDir: join(root, 'data'),
    log,
    keychain: unavailableKeychain(),
    fetch: watchedFetch,
    hostname: 'test-host',
    ...(timers === undefined ? {} : { timers }),
  });
  const plans: ScaleApp['plans'] = new Map();
  const stateLog: ScaleApp['stateLog'] = new Map();
  const waiters = new Set<(name: EventName, payload: unknown) => void>();
  services.onEvent(<Name extends EventName>(name: Name, payload: EventPayload<Name>) => {
    if (name === 'onRenewalStates') {
      notePlans(payload as EventPayload<'onRenewalStates'>, plans, stateLog);
    }
    waiters.forEach((waiter) => waiter(name, payload));
  });
  await services.start();
  const configPath = join(home, '.doover', 'config');

  return {
    services,
    calls,
    sentRefreshTokens,
    get unknownSent() {
      return unknownSent;
    },
    plans,
    stateLog,
    logLines,
    readConfig: () => readFile(configPath, 'utf8'),
    chainOf: (config, profile) =>
      chains.get(valueIn(config, profile, 'REFRESH_TOKEN') ?? ''),
    progress: (match) =>
      new Promise((resolve) => {
        const waiter = (name: EventName, payload: unknown) => {
          if (name === 'onSignInProgress' && match(payload as SignInProgress)) {
            waiters.delete(waiter);
            resolve(payload as SignInProgress);
          }
        };
        waiters.add(waiter);
      }),
    async close() {
      await services.stop();
      // A renewal under way when the services stop may still be writing its temporary file.
      await rm(root, { recursive: true, force: true, maxRetries: 10 });
    },
  };
}

/** Keeps each profile's changed states and planned renewal instants, with when they were told. */
function notePlans(
  states: EventPayload<'onRenewalStates'>,
  plans: ScaleApp['plans'],
  stateLog: ScaleApp['stateLog'],
): void {
  const now = Date.now();
  for (const [name, state] of Object.entries(states.profiles)) {
    const seen = stateLog.get(name) ?? [];
    const last = seen[seen.length - 1]?.state;
    if (JSON.stringify(last) !== JSON.stringify(state)) seen.push({ toldAt: now, state });
    stateLog.set(name, seen);

    const at =
      state.kind === 'planned' ? state.at : state.kind === 'renewed' ? state.next : null;
    if (at === null) continue;
    const planned = plans.get(name) ?? [];
    if (planned[planned.length - 1]?.at !== at) planned.push({ toldAt: now, at });
    plans.set(name, planned);
  }
}

/**
 * Timers that stop while the "computer sleeps", as Node's monotonic timers
 * do: asleep, nothing fires; on resume each timer fires after the time it
 * still had left, while the wall clock has moved on by the whole sleep.
 */
class SleepableTimers implements Timers {
  readonly #timers = new Map<
    object,
    { callback: () => void; dueAt: number; real: NodeJS.Timeout | undefined }
  >();
  #asleepSince: number | null = null;

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = {};
    const start = this.#asleepSince ?? performance.now();
    const timer = { callback, dueAt: start + ms, real: undefined };
    this.#timers.set(handle, timer);
    if (this.#asleepSince === null) this.#arm(handle);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    const timer = this.#timers.get(handle as object);
    clearTimeout(timer?.real);
    this.#timers.delete(handle as object);
  }

  sleep(): void {
    this.#asleepSince = performance.now();
    for (const timer of this.#timers.values()) clearTimeout(timer.real);
  }

  resume(): void {
    const slept = performance.now() - (this.#asleepSince ?? performance.now());
    this.#asleepSince = null;
    for (const [handle, timer] of this.#timers) {
      timer.dueAt += slept;
      this.#arm(handle);
    }
  }

  #arm(handle: object): void {
    const timer = this.#timers.get(handle);
    if (timer === undefined) return;
    timer.real = setTimeout(
      () => {
        this.#timers.delete(handle);
        timer.callback();
      },
      Math.max(0, timer.dueAt - performance.now()),
    );
  }
}

let server: AuthServer;
let app: ScaleApp | undefined;
/** When each refresh request reached the server, with what it was answered. */
let serverRefreshes: Array<{ at: number; request: LoggedRequest }> = [];

beforeAll(async () => {
  server = await startAuthServer({
    accessTokenTtl: 5,
    rotateRefreshTokens: true,
    pollIntervalSeconds: 1,
    onRequest: (request) => {
      if (request.form.grant_type === 'refresh_token') {
        serverRefreshes.push({ at: Date.now(), request });
      }
    },
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  server.faults.clear();
  await app?.close();
  app = undefined;
  serverRefreshes = [];
});

function names(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `scale-${index + 1}`);
}

async function signIn(target: ScaleApp, name: string): Promise<void> {
  const done = target.progress((p) => p.profile === name && p.state === 'signed-in');
  const started = await target.services.handlers.startSignIn({
    profile: name,
    environment: 'custom',
    custom: {
      authServerUrl: server.url,
      baseUrl: server.url,
      dataBaseUrl: server.dataApiUrl,
      clientId: server.clientId,
    },
  });
  if (!started.ok) throw new Error(started.error.message);
  await server.approveDevice(started.value.userCode);
  await done;
}

/** Signs every profile in, a few at a time so the machine is not swamped. */
async function signInAll(target: ScaleApp, profiles: string[]): Promise<void> {
  for (let index = 0; index < profiles.length; index += 10) {
    await Promise.all(
      profiles.slice(index, index + 10).map((name) => signIn(target, name)),
    );
  }
}

/** The `exp` claim of a JWT, read without verifying it. */
function jwtExp(token: string | undefined): number {
  const payload = token?.split('.')[1];
  if (payload === undefined) return Number.NaN;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    exp?: unknown;
  };
  return typeof claims.exp === 'number' ? claims.exp : Number.NaN;
}

interface Sample {
  /** Profiles whose token in the file had expired (TOKEN_EXPIRES or the JWT's exp). */
  expired: string[];
  /** Profiles whose token or refresh token was missing from the file. */
  cleared: string[];
}

/** Reads the file once and judges every profile's token against the wall clock after the read. */
async function sample(target: ScaleApp, profiles: string[]): Promise<Sample> {
  const config = await target.readConfig();
  const now = Date.now() / 1000;
  const result: Sample = { expired: [], cleared: [] };
  for (const name of profiles) {
    const token = valueIn(config, name, 'TOKEN');
    const expires = Number(valueIn(config, name, 'TOKEN_EXPIRES'));
    if (!(expires > now) || !(jwtExp(token) > now)) result.expired.push(name);
    if (!token || !valueIn(config, name, 'REFRESH_TOKEN')) result.cleared.push(name);
  }
  return result;
}

/** Samples the file every 100 ms until `until` says stop; returns every sample's findings. */
async function sampleWhile(
  target: ScaleApp,
  profiles: string[],
  until: () => boolean,
): Promise<Array<Sample & { at: number }>> {
  const samples: Array<Sample & { at: number }> = [];
  while (!until()) {
    samples.push({ ...(await sample(target, profiles)), at: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return samples;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Refresh calls grouped by sign-in chain, oldest first. */
function byChain(calls: readonly RefreshCall[]): Map<string, RefreshCall[]> {
  const grouped = new Map<string, RefreshCall[]>();
  for (const call of calls) {
    grouped.set(call.chain, [...(grouped.get(call.chain) ?? []), call]);
  }
  return grouped;
}

function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? NaN;
}

/** How late each refresh was sent against the plan the profile last told before it. */
function lateness(
  target: ScaleApp,
  config: string,
  profiles: string[],
  from: number,
): number[] {
  const grouped = byChain(target.calls);
  const late: number[] = [];
  for (const name of profiles) {
    const chain = target.chainOf(config, name);
    const plans = target.plans.get(name) ?? [];
    for (const call of grouped.get(chain ?? '') ?? []) {
      if (call.sentAt < from) continue;
      const plan = plans.filter((each) => each.toldAt <= call.sentAt).pop();
      if (plan !== undefined) late.push(call.sentAt - plan.at);
    }
  }
  return late;
}

/** Nothing secret in the app's log: none of the refresh tokens it sent. */
function expectNoTokenLogged(target: ScaleApp): void {
  const log = target.logLines.join('');
  expect(target.sentRefreshTokens.filter((token) => log.includes(token))).toEqual([]);
}

/**
 * Fifty profiles, as the renewal rules are asked to hold; a smaller or larger
 * run with RENEWAL_SCALE_PROFILES=N. Runs on its own after the other test
 * files (see vite.config.ts), so the timing is the app's, not the machine's.
 */
const scaleProfiles = Number(process.env.RENEWAL_SCALE_PROFILES ?? 50);

it(`keeps ${scaleProfiles} 5-second tokens valid in the file for 60 s, each refresh token sent once`, async () => {
  const profiles = names(scaleProfiles);
  app = await startScaleApp();
  const target = app;
  await signInAll(target, profiles);
  const from = Date.now();
  const end = from + 60_000;
  const linesBefore = target.logLines.length;

  const samples = await sampleWhile(target, profiles, () => Date.now() >= end);

  const calls = target.calls.filter((call) => call.sentAt >= from);
  const config = await target.readConfig();
  const late = lateness(target, config, profiles, from);
  const perProfile = profiles.map(
    (name) => byChain(calls).get(target.chainOf(config, name) ?? '')?.length ?? 0,
  );
  const expiredSamples = samples.filter((each) => each.expired.length > 0);
  const fileWrites = target.logLines
    .slice(linesBefore)
    .filter((line) => line.includes('saved the profiles file')).length;
  console.info(
    `${scaleProfiles} profiles, 60 s: ${calls.length} renewals (per profile ${Math.min(...perProfile)}` +
      `-${Math.max(...perProfile)}) in ${fileWrites} file writes, ${samples.length} samples, ` +
      `${expiredSamples.length} with an expired token; lateness against plan ` +
      `p50 ${percentile(late, 0.5)} ms, p99 ${percentile(late, 0.99)} ms, ` +
      `max ${Math.max(...late)} ms`,
  );

  expect(expiredSamples).toEqual([]);
  expect(samples.length).toBeGreaterThan(100);
  // A 5-second token needs at least 12 renewals to stay valid for 60 s.
  expect(Math.min(...perProfile)).toBeGreaterThanOrEqual(12);
  expect(calls.filter((call) => call.status !== 200 || call.error !== null)).toEqual([]);
  expect(serverRefreshes.filter((each) => each.request.status !== 200)).toEqual([]);
  expect(target.unknownSent).toBe(0);
  expect(new Set(target.sentRefreshTokens).size).toBe(target.sentRefreshTokens.length);
  expectNoTokenLogged(target);
}, 180_000);

/** The first refresh each chain sent at or after `from`. */
function firstSentAfter(
  calls: readonly RefreshCall[],
  from: number,
): Map<string, number> {
  const first = new Map<string, number>();
  for (const call of calls) {
    if (call.sentAt >= from && !first.has(call.chain)) first.set(call.chain, call.sentAt);
  }
  return first;
}

/** The shortest time between two refreshes of the same sign-in. */
function shortestGap(calls: readonly RefreshCall[]): number {
  let shortest = Infinity;
  for (const chain of byChain(calls).values()) {
    for (let index = 1; index < chain.length; index += 1) {
      shortest = Math.min(shortest, chain[index]!.sentAt - chain[index - 1]!.sentAt);
    }
  }
  return shortest;
}

it('after a sleep renews everything due at once, spread a little, each profile once', async () => {
  const profiles = names(12);
  const timers = new SleepableTimers();
  app = await startScaleApp(timers);
  const target = app;
  await signInAll(target, profiles);
  await waitFor(() => target.calls.length >= profiles.length, 20_000);

  // Asleep long enough for every token to expire and for the timer to see the clock jump.
  const results: string[] = [];
  for (const { sleepMs, tellWake } of [
    { sleepMs: 12_000, tellWake: false },
    { sleepMs: 7_000, tellWake: true },
  ]) {
    timers.sleep();
    const asleepAt = Date.now();
    await waitFor(() => Date.now() >= asleepAt + sleepMs, sleepMs + 1_000);
    const during = target.calls.filter((call) => call.sentAt >= asleepAt + 1_000);
    expect(during).toEqual([]);
    expect((await sample(target, profiles)).expired).toEqual(profiles);

    const resumedAt = Date.now();
    timers.resume();
    if (tellWake) target.services.wake('resume');
    await waitFor(
      () => firstSentAfter(target.calls, resumedAt).size === profiles.length,
      15_000,
    );
    const firsts = [...firstSentAfter(target.calls, resumedAt).values()];
    const spread = Math.max(...firsts) - Math.min(...firsts);
    const latest = Math.max(...firsts) - resumedAt;
    results.push(
      `slept ${sleepMs / 1000} s (${tellWake ? 'told' : 'seen by the timer'}): ` +
        `all ${profiles.length} renewed within ${latest} ms, spread over ${spread} ms`,
    );
    // Told: jitter of up to 3 s. Seen: the timer first finishes its wait (at most 2.5 s).
    expect(latest).toBeLessThan(tellWake ? 5_000 : 7_500);
    expect(spread).toBeGreaterThan(500);
    const settled = Date.now() + 3_000;
    const after = await sampleWhile(target, profiles, () => Date.now() >= settled);
    expect(after.filter((each) => each.expired.length > 0).length).toBeLessThan(5);
  }
  console.info(
    `sleep and resume: ${results.join('; ')}; shortest gap between a profile's ` +
      `renewals ${shortestGap(target.calls)} ms`,
  );

  expect(shortestGap(target.calls)).toBeGreaterThan(1_000);
  expect(target.calls.filter((call) => call.status !== 200)).toEqual([]);
  expect(target.unknownSent).toBe(0);
  expect(new Set(target.sentRefreshTokens).size).toBe(target.sentRefreshTokens.length);
}, 120_000);

it('waits out a failing server together, one profile trying it at a time, keeps the tokens, and renews all once it recovers', async () => {
  const profiles = names(12);
  app = await startScaleApp();
  const target = app;
  await signInAll(target, profiles);
  await waitFor(() => target.calls.length >= profiles.length, 20_000);

  server.faults.always(
    'token',
    { kind: 'status', status: 500 },
    { grantType: 'refresh_token' },
  );
  const failingFrom = Date.now();
  const failingUntil = failingFrom + 30_000;
  const duringOutage = await sampleWhile(
    target,
    profiles,
    () => Date.now() >= failingUntil,
  );
  server.faults.clear();
  const recoveredAt = Date.now();
  await waitFor(
    () =>
      firstSentAfter(
        target.calls.filter((call) => call.status === 200),
        recoveredAt,
      ).size === profiles.length,
    90_000,
  );
  const renewedAfter = [
    ...firstSentAfter(
      target.calls.filter((call) => call.status === 200),
      recoveredAt,
    ).values(),
  ];
  const recoveredIn = Math.max(...renewedAfter) - recoveredAt;
  // The first to succeed was the probe; the rest follow it, spread by a little jitter.
  const followedIn = Math.max(...renewedAfter) - Math.min(...renewedAfter);
  const settled = Date.now() + 3_000;
  const afterwards = await sampleWhile(target, profiles, () => Date.now() >= settled);

  const failed = target.calls.filter(
    (call) => call.status === 500 && call.sentAt >= failingFrom,
  );
  const gaps = [...byChain(failed).values()].map((chain) =>
    chain.slice(1).map((call, index) => call.sentAt - chain[index]!.sentAt),
  );
  // Once the server has failed, its profiles wait together: one tries it at a time.
  const firstFailure = Math.min(...failed.map((call) => call.answeredAt));
  // (A renewal may start in the instant between that answer and the app hearing it.)
  const probes = failed
    .filter((call) => call.sentAt > firstFailure + 1_000)
    .sort((a, b) => a.sentAt - b.sentAt);
  const probeGaps = probes
    .slice(1)
    .map((call, index) => call.sentAt - probes[index]!.sentAt);
  console.info(
    `500 for 30 s: ${failed.length} failed attempts from ${byChain(failed).size} profiles, ` +
      `${failed.length - probes.length} started before it first failed, then ${probes.length} ` +
      `one at a time, ${probeGaps.join(' ms, ')} ms apart; all renewed ${recoveredIn} ms after recovery, ${followedIn} ms after the first`,
  );

  expect(probes.length).toBeGreaterThanOrEqual(2);
  expect(probes.length).toBeLessThanOrEqual(5);
  probes.slice(1).forEach((call, index) => {
    expect(call.sentAt).toBeGreaterThanOrEqual(probes[index]!.answeredAt);
  });
  expect(Math.min(...probeGaps)).toBeGreaterThanOrEqual(5_000);
  probeGaps
    .slice(1)
    .forEach((gap, index) => expect(gap).toBeGreaterThan(probeGaps[index]! - 500));
  // Never two attempts for a profile within 5 s.
  expect(Math.min(...gaps.flat(), Infinity)).toBeGreaterThanOrEqual(5_000);
  expect(followedIn).toBeLessThan(6_000);
  for (const name of profiles) {
    const told = (target.stateLog.get(name) ?? []).filter(
      (each) => each.toldAt >= failingFrom,
    );
    expect(told.map((each) => each.state.kind)).toContain('retrying');
    expect(told.map((each) => each.state.kind)).not.toContain('needs-sign-in');
  }
  expect(duringOutage.filter((each) => each.cleared.length > 0)).toEqual([]);
  expect(afterwards.filter((each) => each.expired.length > 0).length).toBeLessThan(5);
  expect(target.calls.filter((call) => call.error === 'invalid_grant')).toEqual([]);
  expect(target.unknownSent).toBe(0);
}, 200_000);
