// Benchmark: the refresh scheduler keeping 1,000 service-account profiles
// fresh against the real test OAuth server, with short-lived tokens so every
// profile renews several times during the run. Prints armed timers (must be 1),
// how late each renewal started against its plan (p50, p99), and the process's
// CPU time and resident memory over the run.
//
//   npm run bench:scheduler -- [--profiles 1000] [--seconds 60] [--ttl 20]
//
// With --unreachable it measures instead the app's services (renewal, locks,
// file reads) keeping 1,000 expired profiles whose auth server cannot be
// reached, for --seconds (30 by default) twice: each profile on a server of its
// own (so each backs off alone, as every profile did before profiles of one
// server waited together), then all on one server (one backoff, one probe).
//
//   npm run bench:scheduler -- --unreachable [--profiles 1000] [--seconds 30]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppServices } from '../electron/core/app-services.js';
import { unavailableKeychain } from '../electron/core/tokens/testing-app.js';
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
    seconds: { type: 'string' },
    ttl: { type: 'string', default: '20' },
    unreachable: { type: 'boolean', default: false },
  },
});
const profileCount = Number(values.profiles);
const ttlSeconds = Number(values.ttl);

if (values.unreachable) {
  await benchUnreachable(Number(values.seconds ?? 30));
  process.exit(0);
}
const runSeconds = Number(values.seconds ?? 60);

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

/** A port on 127.0.0.1 that nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  return typeof address === 'object' && address !== null ? address.port : 9;
}

/** A profiles file of expired sign-ins, each renewing from `serverOf(index)`. */
function expiredProfiles(serverOf: (index: number) => string): string {
  const expired = Math.floor(Date.now() / 1000) - 3600;
  return Array.from(
    { length: profileCount },
    (_, index) =>
      `[profile=user-${index}]\nTOKEN=${'t'.repeat(40)}\nTOKEN_EXPIRES=${expired}\n` +
      `REFRESH_TOKEN=${'r'.repeat(40)}\nAUTH_SERVER_URL=${serverOf(index)}\n` +
      `AUTH_SERVER_CLIENT_ID=bench\nBASE_URL=https://api.example.com\n`,
  ).join('\n');
}

/** The app's services over `config` for `seconds`: CPU time and requests sent. */
async function runUnreachable(config: string, seconds: number) {
  const root = await mkdtemp(join(tmpdir(), 'bench-unreachable-'));
  const home = join(root, 'home');
  await mkdir(join(home, '.doover'), { recursive: true });
  await writeFile(join(home, '.doover', 'config'), config, { mode: 0o600 });
  let requests = 0;
  const services = createAppServices({
    homeDir: home,
    dataDir: join(root, 'data'),
    log: createLogger({ level: 'silent' }),
    keychain: unavailableKeychain(),
    fetch: (input, init) => {
      requests += 1;
      return fetch(input, init);
    },
    hostname: 'bench',
  });
  const cpuBefore = process.cpuUsage();
  await services.start();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000)); // the run's fixed length
  const cpu = process.cpuUsage(cpuBefore);
  await services.stop();
  await rm(root, { recursive: true, force: true, maxRetries: 10 });
  return { cpuMs: (cpu.user + cpu.system) / 1000, requests };
}

async function benchUnreachable(seconds: number): Promise<void> {
  const port = await closedPort();
  // Every address in 127.0.0.0/8 is this machine: a thousand servers that all refuse.
  const alone = await runUnreachable(
    expiredProfiles((index) => `http://127.1.${index >> 8}.${index & 255}:${port}`),
    seconds,
  );
  const together = await runUnreachable(
    expiredProfiles(() => `http://127.0.0.1:${port}`),
    seconds,
  );
  const line = (label: string, run: typeof alone) =>
    `${label} CPU ${run.cpuMs.toFixed(0)} ms over ${seconds} s ` +
    `(${((run.cpuMs / seconds / 1000) * 100).toFixed(1)} % of a core), ${run.requests} requests`;
  console.log(
    `profiles:                    ${profileCount} expired, auth server unreachable`,
  );
  console.log(line('each on its own server:     ', alone));
  console.log(line('all on one server:          ', together));
}
