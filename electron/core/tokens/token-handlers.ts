import type { CallHandlers } from '../../../shared/contract.js';
import type {
  ProfileWriteReceipt,
  ConfigSnapshot,
} from '../../../shared/profile-types.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import type { TokenForCopy, TokenRefreshReceipt } from '../../../shared/token-types.js';
import { toAppError } from '../auth/auth-failure.js';
import type { Keychain } from '../keychain/keychain.js';
import { profileNameProblem } from '../profiles-file/patch-validation.js';
import type { SignInService } from '../sign-in/sign-in-service.js';
import type { BackgroundRenewal } from './background-renewal.js';
import type { RefreshLog } from './refresh-log.js';
import { serviceAccountAccount, type KeychainService } from './keychain-service.js';
import { readProfileValues } from './profile-values.js';
import type { SettingsStore } from './settings-store.js';
import type { ProfilesWriter, TokenOutcome, TokenService } from './token-service.js';

/** Copy and the command line renew a token that expires within this many seconds. */
export const COPY_VALIDITY_SECONDS = 60;

export type TokenCalls =
  | 'startSignIn'
  | 'cancelSignIn'
  | 'signOut'
  | 'refreshToken'
  | 'getTokenForCopy'
  | 'getRenewalStates'
  | 'getRefreshLog'
  | 'addServiceAccount'
  | 'getKeychainStatus'
  | 'removeKeychainOrphans'
  | 'moveSignIn'
  | 'getSettings'
  | 'updateSettings';

export interface TokenHandlerDeps {
  tokens: TokenService;
  signIn: SignInService;
  keychainService: KeychainService;
  keychain: Keychain;
  renewal: BackgroundRenewal;
  refreshLog: RefreshLog;
  settings: SettingsStore;
  profilesPath: string;
  write: ProfilesWriter;
  reload(): Promise<ConfigSnapshot>;
  /** Tells the renderer the keychain's state after a check. */
  onKeychainStatus(status: Awaited<ReturnType<KeychainService['status']>>): void;
}

/** The calls about sign-ins, tokens, the keychain and preferences. */
export function tokenHandlers(deps: TokenHandlerDeps): Pick<CallHandlers, TokenCalls> {
  return {
    startSignIn: (request) => deps.signIn.start(request),
    cancelSignIn: async ({ profile }) => ok({ cancelled: deps.signIn.cancel(profile) }),
    signOut: ({ profile }) => deps.signIn.signOut(profile),
    refreshToken: async ({ profile }) => {
      const result = await deps.tokens.refresh(profile, { trigger: 'button' });
      deps.renewal.noteOutcome(profile, result);
      return receipt(result);
    },
    getRefreshLog: async () => ok(await deps.refreshLog.entriesWithOthers()),
    getTokenForCopy: ({ profile }) => handleGetTokenForCopy(deps, profile),
    getRenewalStates: async () => ok(deps.renewal.states()),
    addServiceAccount: (request) => handleAddServiceAccount(deps, request),
    getKeychainStatus: async () => {
      const status = await deps.keychainService.status();
      deps.onKeychainStatus(status);
      return ok(status);
    },
    removeKeychainOrphans: async ({ accounts }) => {
      const removed = await deps.keychainService.removeOrphans(accounts);
      deps.onKeychainStatus(removed.status);
      return ok(removed);
    },
    moveSignIn: ({ profile, to }) => deps.keychainService.moveSignIn(profile, to),
    getSettings: async () => ok(deps.settings.view()),
    updateSettings: ({ preferences }) => handleUpdateSettings(deps, preferences),
  };
}

function receipt(result: TokenOutcome): Result<TokenRefreshReceipt> {
  if (!result.ok) {
    return fail(
      result.keychain === undefined ? toAppError(result.failure).code : 'keychain-locked',
      result.failure.message,
    );
  }
  const { expiresAt, refreshed, signedInAs } = result.value;

  return ok({ expiresAt, refreshed, signedInAs });
}

/** The token for the user who asked to copy it, renewed first when it is about to expire. */
async function handleGetTokenForCopy(
  deps: TokenHandlerDeps,
  profile: string,
): Promise<Result<TokenForCopy>> {
  const result = await deps.tokens.refresh(profile, {
    unlessValidForSeconds: COPY_VALIDITY_SECONDS,
    trigger: 'copy',
  });
  deps.renewal.noteOutcome(profile, result);
  const summary = receipt(result);
  if (!summary.ok) {
    return summary;
  }
  if (!result.ok) {
    return fail('internal', result.failure.message);
  }

  return ok({
    ...summary.value,
    token: result.value.token,
    clipboardClearSeconds: deps.settings.preferences.clipboardClearSeconds,
  });
}

type ServiceAccountRequest = Parameters<CallHandlers['addServiceAccount']>[0];

/**
 * Adds a service account: its client secret only ever goes to the keychain,
 * so without a working keychain it is refused. The first token is fetched at
 * once, which also proves the id and secret.
 */
async function handleAddServiceAccount(
  deps: TokenHandlerDeps,
  request: ServiceAccountRequest,
): Promise<Result<ProfileWriteReceipt>> {
  const { name, dataBaseUrl, clientId, clientSecret } = request;
  const problem = profileNameProblem(name);
  if (problem !== null) return fail('bad-request', problem);
  const existing = await readProfileValues(deps.profilesPath, name).catch(() => null);
  if (existing !== null && request.replace !== true) {
    return fail('conflict', `A profile named "${name}" already exists.`);
  }

  const stored = await deps.keychain.setSecret(
    serviceAccountAccount(name, dataBaseUrl),
    clientSecret,
  );
  if (!stored.ok) {
    return fail(
      'keychain-unavailable',
      `A service account's client secret is kept only in the keychain, and the keychain cannot be used: ${stored.error.message}`,
    );
  }
  const settled = await deps.settings.updateProfile(name, {
    kind: 'service-account',
    serviceAccountClientId: clientId,
    signInStore: 'keychain',
  });
  if (!settled.ok) return settled;
  const written = await deps.write({
    kind: 'update',
    profile: name,
    fields: { BASE_DATA_URL: dataBaseUrl },
    createIfMissing: true,
  });
  if (!written.ok) return written;

  const token = await deps.tokens.refresh(name, { trigger: 'new sign-in' });
  const description = token.ok
    ? `Added the service account "${name}" and fetched its first token.`
    : `Added the service account "${name}", but no token yet: ${token.failure.message}`;

  return ok({ description, snapshot: await deps.reload() });
}

async function handleUpdateSettings(
  deps: TokenHandlerDeps,
  changes: Parameters<CallHandlers['updateSettings']>[0]['preferences'],
) {
  const updated = await deps.settings.updatePreferences((current) => ({
    clipboardClearSeconds: changes.clipboardClearSeconds ?? current.clipboardClearSeconds,
    notifications: changes.notifications ?? current.notifications,
    refresh: {
      lifetimeFraction:
        changes.refresh?.lifetimeFraction ?? current.refresh.lifetimeFraction,
      leadSeconds: changes.refresh?.leadSeconds ?? current.refresh.leadSeconds,
      minimumLeadSeconds:
        changes.refresh?.minimumLeadSeconds ?? current.refresh.minimumLeadSeconds,
    },
  }));
  if (!updated.ok) return updated;
  if (changes.refresh !== undefined) deps.renewal.usePolicy();

  return ok(deps.settings.view());
}
