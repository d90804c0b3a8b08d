import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

const startScript = resolve(import.meta.dirname, '../../dist/electron/browser/start.js');

export interface RunningApp {
  /** The page URL, secret fragment included. */
  url: string;
  origin: string;
  secret: string;
  /** Everything the process printed, for assertions on what it logs. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `npm run start:browser` (already built) for one test's home and data folders. */
export async function startBrowserModeApp(env: {
  home: string;
  dataDir: string;
  extraEnv?: Record<string, string>;
}): Promise<RunningApp> {
  const child = spawn(process.execPath, [startScript, '--port', '0', '--no-open'], {
    env: {
      ...process.env,
      HOME: env.home,
      DOOVER_PROFILES_DATA_DIR: env.dataDir,
      ...env.extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));

  const url = await waitForUrl(child, () => printed);
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    secret: new URLSearchParams(parsed.hash.slice(1)).get('secret') ?? '',
    output: () => printed,
    stop: () => stopProcess(child),
  };
}

async function waitForUrl(child: ChildProcess, printed: () => string): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const match = /(http:\/\/127\.0\.0\.1:\d+\/#secret=[0-9a-f]+)/.exec(printed());
    if (match?.[1] !== undefined) {
      return match[1];
    }
    if (child.exitCode !== null) {
      throw new Error(`browser mode exited early (${child.exitCode}):\n${printed()}`);
    }
    await Promise.race([once(child.stdout!, 'data'), once(child, 'exit')]);
  }
  child.kill('SIGKILL');
  throw new Error(`browser mode printed no URL within 20 s:\n${printed()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
