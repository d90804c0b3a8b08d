import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, EventPayload } from '../../../shared/contract.js';
import type { SignInProgress } from '../../../shared/token-types.js';
import {
  createAppServices,
  type AppServices,
  type AppServicesOptions,
} from '../app-services.js';
import type { FetchLike } from '../auth/auth-http.js';
import { createKeychain, type Keychain } from '../keychain/keychain.js';
import { createLogger, type Logger } from '../logger.js';

/** A keychain whose module cannot be loaded: what a machine without keytar has. */
export function unavailableKeychain(): Keychain {
  return createKeychain({
    loader: () => ({
      ok: false,
      reason: 'the keychain module is not installed',
      detail: 'test',
    }),
  });
}

/** The app's services over a temporary home and data folder, with the events they sent. */
export interface TestApp {
  services: AppServices;
  home: string;
  dataDir: string;
  configPath: string;
  events: Array<{ name: EventName; payload: unknown }>;
  /** Every log line the services wrote (debug and up), as pino's JSON text. */
  logLines: string[];
  /** The body of every request the services sent, in order. */
  sentBodies: string[];
  readConfig(): Promise<string>;
  /** Resolves with the first sign-in progress event that `match` accepts. */
  progress(match: (progress: SignInProgress) => boolean): Promise<SignInProgress>;
  close(): Promise<void>;
}

/** The keychain to use, or how to make it with the app's logger. */
export type TestKeychain = Keychain | ((log: Logger) => Keychain);

/** Options of the services a test may set besides the keychain. */
export type TestAppOptions = Pick<AppServicesOptions, 'network'>;

export async function startTestApp(
  keychain: TestKeychain = unavailableKeychain(),
  options: TestAppOptions = {},
): Promise<TestApp> {
  const root = await mkdtemp(join(tmpdir(), 'token-services-'));
  const home = join(root, 'home');
  const dataDir = join(root, 'data');
  const logLines: string[] = [];
  const log = createLogger({
    level: 'debug',
    homeDir: home,
    destination: { write: (line: string) => logLines.push(line) },
  });
  const sentBodies: string[] = [];
  // The real fetch, watched: tests check which secrets went out and which did not.
  const watchedFetch: FetchLike = (input, init) => {
    if (typeof init?.body === 'string') sentBodies.push(init.body);
    else if (init?.body instanceof URLSearchParams) sentBodies.push(init.body.toString());
    return fetch(input, init);
  };
  const services = createAppServices({
    homeDir: home,
    dataDir,
    log,
    keychain: typeof keychain === 'function' ? keychain(log) : keychain,
    fetch: watchedFetch,
    hostname: 'test-host',
    ...options,
  });
  const events: TestApp['events'] = [];
  const waiters = new Set<(name: EventName, payload: unknown) => void>();
  services.onEvent(<Name extends EventName>(name: Name, payload: EventPayload<Name>) => {
    events.push({ name, payload });
    waiters.forEach((waiter) => waiter(name, payload));
  });
  await services.start();
  const configPath = join(home, '.doover', 'config');

  return {
    services,
    home,
    dataDir,
    configPath,
    events,
    logLines,
    sentBodies,
    readConfig: () => readFile(configPath, 'utf8'),
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
      // A renewal already under way when the services stop may still be
      // writing its temporary file; removal retries until it has finished.
      await rm(root, { recursive: true, force: true, maxRetries: 10 });
    },
  };
}

/** The value of `key` in the block of `profile`, or undefined. */
export function valueIn(
  config: string,
  profile: string,
  key: string,
): string | undefined {
  const block = config
    .split(/\n{2,}/)
    .find((each) => each.startsWith(`[profile=${profile}]`));
  const line = block?.split('\n').find((each) => each.startsWith(`${key}=`));

  return line?.slice(key.length + 1);
}
