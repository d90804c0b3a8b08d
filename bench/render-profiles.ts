// Benchmark: the app in Chromium with a profiles file of 1,000 profiles.
// Prints the time to the first rendered list and the main-thread time the
// live countdown costs per second while the app sits idle.
//
//   npm run build && npm run bench:render -- [--profiles 1000] [--seconds 10]
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type CDPSession } from '@playwright/test';
import { startBrowserModeApp } from '../e2e/support/browser-mode-app.js';

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
  },
});
const profileCount = Number(values.profiles);
const idleSeconds = Number(values.seconds);

function profilesFile(count: number): string {
  const now = Math.floor(Date.now() / 1000);
  const blocks: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const expires = now + 60 + index * 37;
    blocks.push(
      [
        `[profile=bench-${String(index).padStart(4, '0')}]`,
        `TOKEN=token-${index}-abcdefghijklmnopqrstuvwxyz`,
        `TOKEN_EXPIRES=${expires}.0`,
        'AGENT_ID=',
        index % 3 === 0
          ? 'BASE_URL=https://api.doover.com'
          : 'BASE_URL=https://api.staging.udoover.com',
        'REFRESH_TOKEN=',
        'REFRESH_TOKEN_ID=',
        'BASE_DATA_URL=',
        'AUTH_SERVER_URL=',
        'AUTH_SERVER_CLIENT_ID=',
        '',
      ].join('\n'),
    );
  }
  return blocks.join('\n\n');
}

async function mainThreadMs(session: CDPSession): Promise<number> {
  const { metrics } = await session.send('Performance.getMetrics');
  const byName = Object.fromEntries(metrics.map((metric) => [metric.name, metric.value]));
  return (byName.TaskDuration ?? 0) * 1000;
}

const root = await mkdtemp(join(tmpdir(), 'doover-bench-'));
const home = join(root, 'home');
await mkdir(join(home, '.doover'), { recursive: true });
await writeFile(join(home, '.doover', 'config'), profilesFile(profileCount));

const app = await startBrowserModeApp({ home, dataDir: join(root, 'data') });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--no-first-run',
  ],
});

try {
  const page = await browser.newPage();
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');

  const started = performance.now();
  await page.goto(app.url);
  await page.locator('[data-app-ready="true"]').waitFor();
  await page.getByRole('option').first().waitFor();
  const firstRenderMs = performance.now() - started;
  const rows = await page.getByRole('option').count();

  const before = await mainThreadMs(session);
  await page.waitForTimeout(idleSeconds * 1000); // measuring idle cost over a fixed window
  const countdownMsPerSecond = ((await mainThreadMs(session)) - before) / idleSeconds;

  console.log(`profiles in file:                 ${profileCount}`);
  console.log(`rows in the DOM (virtualised):    ${rows}`);
  console.log(`first render (goto -> list shown): ${firstRenderMs.toFixed(0)} ms`);
  console.log(
    `main-thread time while idle:      ${countdownMsPerSecond.toFixed(1)} ms per second`,
  );
} finally {
  await browser.close();
  await app.stop();
  await rm(root, { recursive: true, force: true });
}
