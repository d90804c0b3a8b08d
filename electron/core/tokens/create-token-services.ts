import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CallHandlers, EventName, EventPayload } from '../../../shared/contract.js';
import type { ConfigSnapshot } from '../../../shared/profile-types.js';
import { ClockSkewTracker } from '../auth/clock-skew.js';
import type { FetchLike } from '../auth/auth-http.js';
import { DiscoveryClient } from '../auth/discovery.js';
import type { Clock } from '../app-services.js';
import type { Keychain } from '../keychain/keychain.js';
import { scopedLogger, type Logger } from '../logger.js';
import { createRedactor } from '../redact.js';
import type { Timers } from '../scheduler/deadline-queue.js';
import { SignInService } from '../sign-in/sign-in-service.js';
import { BackgroundRenewal } from './background-renewal.js';
import { KeychainService } from './keychain-service.js';
import { ProfileEntries, type FollowedEdits } from './profile-entries.js';
import { RefreshLog, refreshLogPath } from './refresh-log.js';
import { SettingsStore } from './settings-store.js';
import { tokenHandlers, type TokenCalls } from './token-handlers.js';
import { TokenService, type ProfilesWriter } from './token-service.js';

export interface TokenServicesOptions {
  profilesPath: string;
  dataDir: string;
  /** The home folder the redaction of the renewal log replaces with `~`; the user's when omitted. */
  homeDir?: string;
  keychain: Keychain;
  clock: Clock;
  fetch: FetchLike;
  timers?: Timers;
  hostname?: string;
  write: ProfilesWriter;
  reload(): Promise<ConfigSnapshot>;
  snapshot(): ConfigSnapshot;
  emit<Name extends EventName>(name: Name, payload: EventPayload<Name>): void;
  log: Logger;
}

/** Sign-ins, tokens, background renewal and the keychain, wired together. */
export interface TokenServices {
  handlers: Pick<CallHandlers, TokenCalls>;
  /** Recovers cut-short secret moves, loads settings, checks the keychain, starts renewing. */
  start(): Promise<void>;
  /** Stops renewing and resolves once every renewal under way has stored its tokens or failed. */
  stop(): Promise<void>;
  wake(reason: string): void;
  onSnapshot(snapshot: ConfigSnapshot): void;
  /** The editor's rename, delete and undo, moving or removing keychain entries and settings too. */
  followEdits(handlers: FollowedEdits): FollowedEdits;
  tokens: TokenService;
  refreshLog: RefreshLog;
}

/** The folder of cross-process refresh locks, shared by the app and its command line. */
export function refreshLockDir(dataDir: string): string {
  return join(dataDir, 'locks');
}

/** Builds the token side of the app's services. */
export function createTokenServices(options: TokenServicesOptions): TokenServices {
  const { log, keychain } = options;
  const clock = new ClockSkewTracker(options.clock);
  const http = { fetch: options.fetch, clock, clockSkew: clock };
  const discovery = new DiscoveryClient({
    ...http,
    log: scopedLogger(log, 'auth/discovery'),
  });
  const settings = new SettingsStore(options.dataDir, scopedLogger(log, 'settings'));
  const refreshLog = new RefreshLog({
    path: refreshLogPath(options.dataDir),
    redact: createRedactor(options.homeDir ?? homedir()),
    log: scopedLogger(log, 'auth/refresh-log'),
    onEntry: (entry) => options.emit('onRefreshLogEntry', entry),
  });
  const tokens = new TokenService({
    profilesPath: options.profilesPath,
    lockDir: refreshLockDir(options.dataDir),
    keychain,
    settings,
    http,
    discovery,
    write: options.write,
    log: scopedLogger(log, 'auth/refresh'),
    refreshLog,
  });
  const keychainService = new KeychainService({
    keychain,
    dataDir: options.dataDir,
    profilesPath: options.profilesPath,
    settings,
    write: options.write,
    profiles: () => options.snapshot().profiles,
    clock,
    log: scopedLogger(log, 'keychain'),
  });
  const signIn = new SignInService({
    profilesPath: options.profilesPath,
    keychain,
    keychainWorks: () => keychainService.works(),
    settings,
    tokens,
    // The code's countdown is shown against the computer's own clock, so it
    // is timed by that clock too (requests still feed the clock check).
    http: { ...http, clock: options.clock },
    discovery,
    write: options.write,
    emit: (progress) => options.emit('onSignInProgress', progress),
    log: scopedLogger(log, 'auth/sign-in'),
    ...(options.hostname === undefined ? {} : { hostname: options.hostname }),
  });
  const renewal = new BackgroundRenewal({
    tokens,
    settings,
    clock,
    log: scopedLogger(log, 'auth/schedule'),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    onStates: (states) => options.emit('onRenewalStates', states),
  });
  const entries = new ProfileEntries({
    keychain,
    settings,
    profilesPath: options.profilesPath,
    clock,
    log: scopedLogger(log, 'keychain'),
  });
  const onKeychainStatus = (status: EventPayload<'onKeychainStatus'>) =>
    options.emit('onKeychainStatus', status);

  return {
    handlers: tokenHandlers({
      tokens,
      signIn,
      keychainService,
      keychain,
      renewal,
      refreshLog,
      settings,
      profilesPath: options.profilesPath,
      write: options.write,
      reload: options.reload,
      onKeychainStatus,
    }),
    async start() {
      // Before anything reads a secret: a cut-short move may have left it half-way.
      await keychainService.recoverMoves();
      await settings.load();
      await refreshLog.load();
      renewal.update(options.snapshot().profiles);
      renewal.start();
      void keychainService.status().then(onKeychainStatus);
    },
    async stop() {
      renewal.stop();
      signIn.stop();
      // A renewal already sent goes on to store its tokens: with rotation, the
      // refresh token it spent is useless, so dropping the answer would lose the sign-in.
      await tokens.settled();
      await refreshLog.flushed();
    },
    wake: (reason) => renewal.wake(reason),
    onSnapshot: (snapshot) => renewal.update(snapshot.profiles),
    followEdits: (handlers) => entries.follow(handlers),
    tokens,
    refreshLog,
  };
}
