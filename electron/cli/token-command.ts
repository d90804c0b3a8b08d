import { homedir } from 'node:os';
import { systemClock } from '../core/app-services.js';
import { ClockSkewTracker } from '../core/auth/clock-skew.js';
import { DiscoveryClient } from '../core/auth/discovery.js';
import type { FetchLike } from '../core/auth/auth-http.js';
import { createKeychain, type Keychain } from '../core/keychain/keychain.js';
import type { Logger } from '../core/logger.js';
import { cliLogger } from './cli-logger.js';
import { applyPatchToFile } from '../core/profiles-file/write-profiles-file.js';
import { createRedactor } from '../core/redact.js';
import { refreshLockDir } from '../core/tokens/create-token-services.js';
import { RefreshLog, refreshLogPath } from '../core/tokens/refresh-log.js';
import { SettingsStore } from '../core/tokens/settings-store.js';
import { COPY_VALIDITY_SECONDS } from '../core/tokens/token-handlers.js';
import { TokenService } from '../core/tokens/token-service.js';
import type { CommandOutput } from './list-command.js';

/** Exit code when no valid token could be had. */
export const noTokenExitCode = 3;

export interface TokenCommandOptions {
  profilesPath: string;
  dataDir: string;
  keychain?: Keychain;
  fetch?: FetchLike;
  log?: Logger;
}

/**
 * `token NAME` prints a valid access token and nothing else, renewing it
 * first when it expires within a minute; `refresh NAME` always renews and
 * prints when the new token expires. Both share the app's cross-process
 * lock, so the app and scripts never renew one sign-in at once.
 */
export async function runTokenCommand(
  profile: string,
  mode: 'token' | 'refresh',
  options: TokenCommandOptions,
): Promise<CommandOutput> {
  const refreshLog = new RefreshLog({
    path: refreshLogPath(options.dataDir),
    redact: createRedactor(homedir()),
    log: options.log ?? cliLogger(),
  });
  const tokens = await tokenServiceFor(options, refreshLog);
  const result = await tokens.refresh(
    profile,
    mode === 'token'
      ? { unlessValidForSeconds: COPY_VALIDITY_SECONDS, trigger: 'command line' }
      : { trigger: 'command line' },
  );
  await refreshLog.flushed();
  if (!result.ok) {
    return {
      stdout: '',
      stderr: `${result.failure.message}\n`,
      exitCode: noTokenExitCode,
    };
  }
  if (mode === 'token') {
    return { stdout: `${result.value.token}\n`, stderr: '', exitCode: 0 };
  }
  const expires = result.value.expiresAt;
  const until =
    expires === null ? 'an unknown time' : new Date(expires * 1000).toISOString();

  return {
    stdout: `Renewed "${profile}"; the token is valid until ${until}.\n`,
    stderr: '',
    exitCode: 0,
  };
}

async function tokenServiceFor(
  options: TokenCommandOptions,
  refreshLog: RefreshLog,
): Promise<TokenService> {
  const log = options.log ?? cliLogger();
  const clock = new ClockSkewTracker(systemClock);
  const http = { fetch: options.fetch ?? fetch, clock, clockSkew: clock };
  const settings = new SettingsStore(options.dataDir, log);
  await settings.load();

  return new TokenService({
    profilesPath: options.profilesPath,
    lockDir: refreshLockDir(options.dataDir),
    keychain: options.keychain ?? createKeychain({ log }),
    settings,
    http,
    discovery: new DiscoveryClient({ ...http, log }),
    write: (patch) => applyPatchToFile(options.profilesPath, patch, { clock, log }),
    log,
    refreshLog,
  });
}
