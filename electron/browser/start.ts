import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CommanderError } from 'commander';
import { defaultDataDir } from '../core/app-paths.js';
import { createAppServices, type AppServices } from '../core/app-services.js';
import { createFileLogger } from '../core/log-files.js';
import type { Logger } from '../core/logger.js';
import { hasGraphicalSession, openInBrowser } from './open-browser.js';
import { createBrowserServer, type BrowserServer } from './server.js';
import { parseStartOptions, type StartOptions } from './start-options.js';

/** The built renderer, next to this file's compiled folder (dist/electron/browser). */
const rendererDir = resolve(import.meta.dirname, '..', '..', 'renderer');

/** What the user reads in the terminal; log lines go to the data folder's logs/app.log. */
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const options = readOptions();
  if (options === undefined) return;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    say('The app is not built yet. Run `npm run build` first.');
    process.exitCode = 1;
    return;
  }

  const dataDir = defaultDataDir();
  const log = createFileLogger(dataDir);
  const services = createAppServices({ homeDir: homedir(), dataDir, log });
  await services.start();
  const server = await listenOrExplain(services, options, log);
  if (server === undefined) return;

  setupShutdown(server, services, log);
  say(`Doover Profiles is running at ${server.launchUrl}`);
  say('Press Ctrl-C to stop.');
  if (options.open) openOrExplain(server.launchUrl);
}

function readOptions(): StartOptions | undefined {
  try {
    return parseStartOptions(process.argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    process.exitCode = error.exitCode;
    return undefined;
  }
}

async function listenOrExplain(
  services: AppServices,
  options: StartOptions,
  log: Logger,
): Promise<BrowserServer | undefined> {
  try {
    return await createBrowserServer({ services, rendererDir, port: options.port, log });
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    say(
      inUse
        ? `Port ${options.port} is in use. Choose another with --port.`
        : String(error),
    );
    await services.stop();
    process.exitCode = 1;
    return undefined;
  }
}

function openOrExplain(url: string): void {
  const explain = () => say('Open the address above in your web browser.');
  if (!hasGraphicalSession(process.platform, process.env)) {
    explain();
    return;
  }

  void openInBrowser(url).then((opened) => {
    if (!opened) explain();
  });
}

/** Ctrl-C (or a service manager's SIGTERM) stops the server and the services, then exits. */
function setupShutdown(server: BrowserServer, services: AppServices, log: Logger): void {
  const stop = () => {
    say('Stopping…');
    server
      .close()
      .then(() => services.stop())
      .catch((error: unknown) => {
        log.error({ err: error }, 'did not stop cleanly');
        process.exitCode = 1;
      })
      .finally(() => process.exit());
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Doover Profiles could not start: ${String(error)}\n`);
  process.exitCode = 1;
});
