import { hostname as osHostname } from 'node:os';
import type { CallRequest } from '../../../shared/contract.js';
import { dooverClientId, dooverEnvironments } from '../../../shared/environments.js';
import type { ProfileFieldChanges } from '../../../shared/profile-types.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import type {
  SignInProgress,
  SignInStarted,
  SignInStore,
  SignOutReceipt,
} from '../../../shared/token-types.js';
import { toAppError } from '../auth/auth-failure.js';
import type { AuthHttp } from '../auth/auth-http.js';
import type { SignedIn } from '../auth/device-sign-in.js';
import {
  DeviceSignInRegistry,
  REPLACED_MESSAGE,
} from '../auth/device-sign-in-registry.js';
import type { DiscoveryClient } from '../auth/discovery.js';
import { revokeRefreshToken } from '../auth/revoke.js';
import type { Keychain } from '../keychain/keychain.js';
import type { Logger } from '../logger.js';
import { profileNameProblem } from '../profiles-file/patch-validation.js';
import { fieldOf, readProfileValues } from '../tokens/profile-values.js';
import type { SettingsStore } from '../tokens/settings-store.js';
import { secretAccountFor, secretAccountFromValues } from '../tokens/sign-in-identity.js';
import type { ProfilesWriter, TokenService } from '../tokens/token-service.js';

export interface SignInServiceDeps {
  profilesPath: string;
  keychain: Keychain;
  /** Whether the keychain passed its latest health check. */
  keychainWorks(): Promise<boolean>;
  settings: SettingsStore;
  tokens: TokenService;
  http: AuthHttp;
  discovery: DiscoveryClient;
  write: ProfilesWriter;
  emit(progress: SignInProgress): void;
  log: Logger;
  hostname?: string;
}

export type SignInRequest = CallRequest<'startSignIn'>;

interface Target {
  authServerUrl: string;
  baseUrl: string;
  dataBaseUrl: string;
  clientId: string;
}

/** Signing in with a device code, signing out, and adding service accounts. */
export class SignInService {
  readonly #deps: SignInServiceDeps;
  readonly #registry: DeviceSignInRegistry;

  constructor(deps: SignInServiceDeps) {
    this.#deps = deps;
    this.#registry = new DeviceSignInRegistry({
      ...deps.http,
      discovery: deps.discovery,
      hostname: deps.hostname ?? osHostname(),
      log: deps.log,
    });
  }

  /** Asks for a code; the rest is told through `emit` and ends with the profile saved. */
  async start(request: SignInRequest): Promise<Result<SignInStarted>> {
    const refused = await this.#refusal(request.profile, request.replace === true);
    if (refused !== null) {
      return refused;
    }
    const { profile } = request;
    const target = targetOf(request);
    const started = await this.#registry.start(profile, {
      authServerUrl: target.authServerUrl,
      clientId: target.clientId,
      onStatus: (status) =>
        this.#deps.emit(
          status.state === 'waiting'
            ? {
                state: 'waiting',
                profile,
                nextPollAt: status.nextPollAt,
                message: 'Waiting for you to approve in the browser.',
              }
            : { ...status, profile },
        ),
    });
    if (!started.ok) {
      return { ok: false, error: toAppError(started.failure) };
    }

    const { code } = started.value;
    const shown: SignInStarted = {
      profile,
      userCode: code.userCode,
      verificationUri: code.verificationUri,
      verificationUriComplete: code.verificationUriComplete,
      expiresAt: code.expiresAt,
    };
    this.#deps.emit({ state: 'code', ...shown });
    void started.value.result.then((result) =>
      result.ok
        ? this.#finish(profile, target, result.value)
        : this.#ended(profile, result.failure),
    );

    return ok(shown);
  }

  cancel(profile: string): boolean {
    return this.#registry.cancel(profile);
  }

  stop(): void {
    this.#registry.cancelAll();
  }

  async #refusal(profile: string, replace: boolean): Promise<Result<never> | null> {
    const problem = profileNameProblem(profile);
    if (problem !== null) {
      return fail('bad-request', problem);
    }
    const existing = await readProfileValues(this.#deps.profilesPath, profile).catch(
      () => null,
    );
    if (existing !== null && !replace) {
      return fail(
        'conflict',
        `A profile named "${profile}" already exists. Replace it to sign in again (its AGENT_ID is kept).`,
      );
    }

    return null;
  }

  #ended(profile: string, failure: { kind: string; message: string }): void {
    if (failure.kind === 'cancelled') {
      this.#deps.emit({ state: 'cancelled', profile, message: failure.message });
      return;
    }
    const canRetry =
      failure.kind === 'code-expired' || failure.message === REPLACED_MESSAGE;
    this.#deps.emit({ state: 'failed', profile, canRetry, message: failure.message });
  }

  /** Saves the sign-in in one patch, in the keychain when it works, else in the file. */
  async #finish(profile: string, target: Target, signedIn: SignedIn): Promise<void> {
    const { fields } = signedIn;
    const store = await this.#storeRefreshToken(profile, target, fields.REFRESH_TOKEN);
    const changes: ProfileFieldChanges = {
      TOKEN: fields.TOKEN,
      TOKEN_EXPIRES: fields.TOKEN_EXPIRES,
      REFRESH_TOKEN: store.where === 'file' ? fields.REFRESH_TOKEN : '',
      REFRESH_TOKEN_ID: fields.REFRESH_TOKEN_ID,
      BASE_URL: target.baseUrl,
      BASE_DATA_URL: target.dataBaseUrl,
      AUTH_SERVER_URL: target.authServerUrl,
      AUTH_SERVER_CLIENT_ID: target.clientId,
    };
    const settled = await this.#deps.settings.updateProfile(profile, {
      signInStore: store.where,
      kind: 'user',
      serviceAccountClientId: null,
    });
    const written = settled.ok
      ? await this.#deps.write({
          kind: 'update',
          profile,
          fields: changes,
          createIfMissing: true,
        })
      : settled;
    if (!written.ok) {
      this.#deps.log.error('a completed sign-in could not be saved');
      this.#deps.emit({
        state: 'failed',
        profile,
        canRetry: true,
        message: `Signed in, but the profile could not be saved: ${written.error.message}`,
      });
      return;
    }

    this.#deps.emit({
      state: 'signed-in',
      profile,
      signedInAs: signedIn.signedInAs,
      store: store.where,
      message: store.message,
    });
  }

  async #storeRefreshToken(
    profile: string,
    target: Target,
    refreshToken: string,
  ): Promise<{ where: SignInStore; message: string }> {
    const inFile =
      'The sign-in is kept in the config file, where command-line tools can renew it.';
    if (refreshToken === '') {
      return {
        where: 'file',
        message:
          'The auth server gave no refresh token; sign in again when the token expires.',
      };
    }
    if (!(await this.#deps.keychainWorks())) {
      return { where: 'file', message: `The keychain is not available. ${inFile}` };
    }
    const account = secretAccountFor(profile, 'user', {
      authServerUrl: target.authServerUrl,
      dataBaseUrl: target.dataBaseUrl,
    });
    const stored = await this.#deps.keychain.setSecret(account, refreshToken);

    return stored.ok
      ? {
          where: 'keychain',
          message:
            'The sign-in is kept in the keychain; the app keeps the token in the config file fresh.',
        }
      : { where: 'file', message: `${stored.error.message} ${inFile}` };
  }

  /**
   * Removes the token and refresh token (file and keychain), revokes the
   * refresh token when the server offers it, and keeps the URLs so signing in
   * again is one click.
   */
  async signOut(profile: string): Promise<Result<SignOutReceipt>> {
    const values = await readProfileValues(this.#deps.profilesPath, profile).catch(
      () => null,
    );
    if (values === null) {
      return fail('not-found', `There is no profile named "${profile}".`);
    }
    const settings = this.#deps.settings.profile(profile);
    const account = secretAccountFromValues(profile, settings.kind, values);
    const refreshToken = await this.#deps.tokens
      .readRefreshToken(profile, values)
      .catch(() => fieldOf(values, 'REFRESH_TOKEN'));
    const revoked = await revokeRefreshToken(
      {
        authServerUrl: fieldOf(values, 'AUTH_SERVER_URL'),
        clientId: fieldOf(values, 'AUTH_SERVER_CLIENT_ID') ?? '',
        refreshToken: refreshToken ?? '',
      },
      { ...this.#deps.http, discovery: this.#deps.discovery, log: this.#deps.log },
    );

    const written = await this.#deps.write({
      kind: 'update',
      profile,
      fields: { TOKEN: '', TOKEN_EXPIRES: null, REFRESH_TOKEN: '', REFRESH_TOKEN_ID: '' },
    });
    if (!written.ok) {
      return written;
    }
    const removed = await this.#deps.keychain.deleteSecret(account);
    const keychainNote =
      removed.ok || settings.signInStore === 'file'
        ? ''
        : ` It could not be removed from the keychain: ${removed.error.message}`;

    return ok({
      description: `Signed out of "${profile}". ${revoked.message}${keychainNote}`,
    });
  }
}

function targetOf(request: SignInRequest): Target {
  if (request.environment === 'custom') {
    return { ...request.custom };
  }
  const environment = dooverEnvironments.find((each) => each.id === request.environment);
  if (environment === undefined) {
    throw new Error(`unknown environment ${request.environment}`);
  }

  return {
    authServerUrl: environment.authServerUrl,
    baseUrl: environment.baseUrl,
    dataBaseUrl: environment.dataBaseUrl,
    clientId: dooverClientId,
  };
}
