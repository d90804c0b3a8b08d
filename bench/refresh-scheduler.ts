// Benchmark: the refresh scheduler keeping 1,000 service-account profiles
// fresh against the real test OAuth server, with short-lived tokens so every
// profile renews several times during the run. Prints armed timers (must be 1),
// how late each renewal started against its plan (p50, p99), and the process's
// CPU time and resident memory over the run.
//
//   npm run bench:scheduler -- [--profiles 1000] [--seconds 60] [--ttl 20]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { requestServiceToken } from '../electron/core/auth/client-credentials.js';
import { createLogger } from '../electron/core/logger.js';
import { systemTimers } from '../electron/core/scheduler/deadline-queue.js';
import { readClaims } from '../electron/core/auth/issued-tokens.js';
import {
  RefreshScheduler,
  type RefreshOutcome,
  type ScheduledProfile,
} from '../electron/core/scheduler/refresh-scheduler.js';

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    ttl: { type: 'string', default: '20' },
  },
});
const profileCount = Number(values.profiles);
const runSeconds = Number(values.seconds);
const ttlSeconds = Number(values.ttl);

const server = await startAuthServerProcess(ttlSeconds);
const clock = { now: () => Date.now() };
const log = createLogger({ level: 'silent' });
const lateness: number[] = [];
let renewals = 0;
let failures = 0;

const scheduler: RefreshScheduler = new RefreshScheduler({
  clock,
  timers: systemTimers,
  random: Math.random,
  log,
  refresh: async (name) => {
    const state = plannedAt.get(name);
    if (state !== undefined) {
      lateness.push(Date.now() - state);
    }
    return renew();
  },
});
const plannedAt = new Map<string, number>();
scheduler.onState((name, state) => {
  if (state.kind === 'planned') {
    plannedAt.set(name, state.at);
  } else if (state.kind === 'renewed' && state.next !== null) {
    plannedAt.set(name, state.next);
  }
});

async function renew(): Promise<RefreshOutcome> {
  const result = await requestServiceToken(
    { dataBaseUrl: server.dataApiUrl, ...server.serviceClient },
    { fetch, clock },
  );
  if (!result.ok) {
    failures += 1;
    return { kind: 'failed', message: result.failure.message };
  }
  renewals += 1;
  const claims = readClaims(result.value.fields.TOKEN);
  return {
    kind: 'renewed',
    expiresAt: result.value.fields.TOKEN_EXPIRES ?? Date.now() / 1000 + ttlSeconds,
    issuedAt: typeof claims?.iat === 'number' ? claims.iat : null,
  };
}

/**
 * The test auth server in its own process, so the CPU time printed is the
 * scheduler's and not the server's token signing.
 */
async function startAuthServerProcess(accessTtl: number) {
  const serviceClient = {
    clientId: 'bench-service',
    clientSecret: randomBytes(16).toString('hex'),
  };
  const child = spawn(
    'npx',
    [
      'tsx',
      'e2e/auth-server/cli.ts',
      '--port',
      '0',
      '--access-ttl',
      String(accessTtl),
      '--service-client-id',
      serviceClient.clientId,
      '--service-client-secret',
      serviceClient.clientSecret,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let printed = '';
  let url: string | undefined;
  while (url === undefined) {
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    printed += chunk.toString();
    url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1];
  }
  return { dataApiUrl: `${url}/api`, serviceClient, close: () => child.kill('SIGINT') };
}

function percentile(samples: number[], share: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? NaN;
}

// Tokens issued over the last lifetime, so renewals are spread as in real use.
const nowSeconds = Date.now() / 1000;
const profiles: ScheduledProfile[] = Array.from({ length: profileCount }, (_, index) => {
  const issuedAt = nowSeconds - (index / profileCount) * ttlSeconds * 0.5;
  return {
    name: `svc-${index}`,
    canRenew: true,
    issuedAt,
    expiresAt: issuedAt + ttlSeconds,
  };
});

const cpuBefore = process.cpuUsage();
const started = performance.now();
scheduler.update(profiles);
const armedAtStart = scheduler.armedTimers;
let maxArmed = armedAtStart;
let maxRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  maxArmed = Math.max(maxArmed, scheduler.armedTimers);
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
}, 100);

await new Promise((resolve) => setTimeout(resolve, runSeconds * 1000)); // the run's fixed length
clearInterval(sampler);
scheduler.stop();
const cpu = process.cpuUsage(cpuBefore);
const elapsed = (performance.now() - started) / 1000;
server.close();

console.log(
  `profiles:                    ${profileCount} (tokens live ${ttlSeconds} s, run ${runSeconds} s)`,
);
console.log(
  `armed timers:                ${armedAtStart} at start, at most ${maxArmed} during the run`,
);
console.log(`renewals:                    ${renewals} succeeded, ${failures} failed`);
console.log(
  `lateness against plan:       p50 ${percentile(lateness, 0.5).toFixed(0)} ms, p99 ${percentile(lateness, 0.99).toFixed(0)} ms`,
);
console.log(
  `CPU time (this process):     ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms over ${elapsed.toFixed(1)} s ` +
    '(the auth server runs in another process)',
);
console.log(
  `resident memory:             at most ${(maxRss / 1024 / 1024).toFixed(0)} MiB`,
);
