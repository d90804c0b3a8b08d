import type { ProfileSummary } from '../../../shared/profile-types.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import type {
  KeychainStatus,
  OrphanRemovalReceipt,
  SignInMoveReceipt,
  SignInStore,
} from '../../../shared/token-types.js';
import { parseAccountId } from '../keychain/account-id.js';
import { checkKeychainHealth, type KeychainHealth } from '../keychain/keychain-health.js';
import { listOrphanAccounts, type Keychain } from '../keychain/keychain.js';
import {
  keychainSecretLocation,
  moveSecret,
  recoverSecretMoves,
  type SecretLocation,
  type SecretMoveRecovery,
} from '../keychain/secret-move.js';
import type { Clock } from '../app-services.js';
import type { Logger } from '../logger.js';
import { fieldOf, readProfileValues } from './profile-values.js';
import type { SettingsStore } from './settings-store.js';
import { secretAccountFor, secretAccountFromValues } from './sign-in-identity.js';
import type { ProfilesWriter } from './token-service.js';

const placeLabels: Record<SignInStore, string> = {
  keychain: 'the keychain',
  file: 'the config file',
};

export interface KeychainServiceDeps {
  keychain: Keychain;
  dataDir: string;
  profilesPath: string;
  settings: SettingsStore;
  write: ProfilesWriter;
  /** The profiles as last read, for orphan listing. */
  profiles(): readonly ProfileSummary[];
  clock: Clock;
  log: Logger;
}

/** Keychain health, orphaned entries, and moving sign-ins between keychain and file. */
export class KeychainService {
  readonly #deps: KeychainServiceDeps;
  #health: KeychainHealth | undefined;

  constructor(deps: KeychainServiceDeps) {
    this.#deps = deps;
  }

  /** Whether the latest health check passed; checks first when there was none. */
  async works(): Promise<boolean> {
    this.#health ??= await checkKeychainHealth(this.#deps.keychain, {
      clock: this.#deps.clock,
    });

    return this.#health.state === 'ok';
  }

  /** Checks the keychain now and lists entries that belong to no profile. */
  async status(): Promise<KeychainStatus> {
    this.#health = await checkKeychainHealth(this.#deps.keychain, {
      clock: this.#deps.clock,
    });
    const identities = this.#deps.profiles().map((profile) => {
      const kind = this.#deps.settings.profile(profile.name).kind;
      const server =
        kind === 'service-account' ? profile.dataBaseUrl : profile.authServerUrl;
      return { name: profile.name, authServer: server };
    });
    const orphans =
      this.#health.state === 'ok'
        ? await listOrphanAccounts(this.#deps.keychain, identities)
        : { ok: true as const, value: [] };

    return { ...this.#health, orphans: orphans.ok ? orphans.value : [] };
  }

  /** Removes the given entries, but only those that still belong to no profile. */
  async removeOrphans(accounts: readonly string[]): Promise<OrphanRemovalReceipt> {
    const before = await this.status();
    const removed: string[] = [];
    const problems: string[] = [];
    for (const account of accounts) {
      if (!before.orphans.includes(account)) {
        problems.push(`${account}: it belongs to a profile, so it was kept.`);
        continue;
      }
      const deleted = await this.#deps.keychain.deleteSecret(account);
      if (deleted.ok) removed.push(account);
      else problems.push(`${account}: ${deleted.error.message}`);
    }

    return { removed, problems, status: await this.status() };
  }

  /** Moves a profile's sign-in: write the destination, read it back, then remove the source. */
  async moveSignIn(profile: string, to: SignInStore): Promise<Result<SignInMoveReceipt>> {
    const settings = this.#deps.settings.profile(profile);
    if (settings.signInStore === to) {
      return ok({ store: to, message: `The sign-in is already in ${placeLabels[to]}.` });
    }
    if (settings.kind === 'service-account') {
      return fail(
        'bad-request',
        "A service account's client secret is kept only in the keychain.",
      );
    }
    const values = await readProfileValues(this.#deps.profilesPath, profile).catch(
      () => null,
    );
    if (values === null) {
      return fail('not-found', `There is no profile named "${profile}".`);
    }

    const account = secretAccountFromValues(profile, 'user', values);
    const places = this.#places(profile, account);
    const moved = await moveSecret(
      { subject: account, source: places[settings.signInStore], destination: places[to] },
      { dataDir: this.#deps.dataDir, clock: this.#deps.clock, log: this.#deps.log },
    );
    if (moved.status !== 'moved' && moved.status !== 'moved-source-kept') {
      return fail('conflict', moved.message);
    }

    const saved = await this.#deps.settings.updateProfile(profile, { signInStore: to });
    const message =
      moved.status === 'moved'
        ? `The sign-in is now in ${placeLabels[to]}.`
        : moved.message;

    return saved.ok ? ok({ store: to, message }) : saved;
  }

  /** Finishes or undoes moves a crash cut short; run at start before any secret is read. */
  async recoverMoves(): Promise<SecretMoveRecovery[]> {
    const destinations = new Map<string, { profile: string; to: string; from: string }>();
    const recovered = await recoverSecretMoves({
      dataDir: this.#deps.dataDir,
      log: this.#deps.log,
      locate: (journal) => {
        const identity = parseAccountId(journal.subject);
        const from = storeOfLabel(journal.from);
        const to = storeOfLabel(journal.to);
        if (identity === null || from === null || to === null) return null;
        destinations.set(journal.subject, {
          profile: identity.name,
          to: journal.to,
          from: journal.from,
        });
        const places = this.#places(identity.name, journal.subject);
        return { source: places[from], destination: places[to] };
      },
    });
    for (const each of recovered) {
      await this.#settleRecovered(each, destinations);
    }

    return recovered;
  }

  async #settleRecovered(
    recovery: SecretMoveRecovery,
    destinations: Map<string, { profile: string; to: string; from: string }>,
  ): Promise<void> {
    const move =
      recovery.subject === null ? undefined : destinations.get(recovery.subject);
    if (move === undefined) return;
    const label =
      recovery.outcome === 'completed'
        ? move.to
        : recovery.outcome === 'rolled-back'
          ? move.from
          : null;
    const store = label === null ? null : storeOfLabel(label);
    if (store !== null) {
      await this.#deps.settings.updateProfile(move.profile, { signInStore: store });
    }
  }

  #places(profile: string, account: string): Record<SignInStore, SecretLocation> {
    return {
      keychain: keychainSecretLocation(this.#deps.keychain, account),
      file: this.#fileLocation(profile),
    };
  }

  /** REFRESH_TOKEN in the profiles file, changed one patch at a time. */
  #fileLocation(profile: string): SecretLocation {
    const write = async (value: string) => {
      const written = await this.#deps.write({
        kind: 'update',
        profile,
        fields: { REFRESH_TOKEN: value },
      });
      if (!written.ok) throw new Error(written.error.message);
    };

    return {
      label: placeLabels.file,
      read: async () => {
        const values = await readProfileValues(this.#deps.profilesPath, profile);
        return values === null ? null : fieldOf(values, 'REFRESH_TOKEN');
      },
      write,
      remove: () => write(''),
    };
  }
}

function storeOfLabel(label: string): SignInStore | null {
  if (label === placeLabels.keychain) return 'keychain';
  return label === placeLabels.file ? 'file' : null;
}

/** The keychain account of a service account being added. */
export function serviceAccountAccount(name: string, dataBaseUrl: string): string {
  return secretAccountFor(name, 'service-account', { authServerUrl: null, dataBaseUrl });
}
