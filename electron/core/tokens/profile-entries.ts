import type { CallHandlers } from '../../../shared/contract.js';
import type { Result } from '../../../shared/result.js';
import type { Clock } from '../app-services.js';
import type { Keychain } from '../keychain/keychain.js';
import type { Logger } from '../logger.js';
import type { ProfileSettings } from '../settings/settings-schema.js';
import { readProfileValues, type ProfileValues } from './profile-values.js';
import type { SettingsStore } from './settings-store.js';
import { secretAccountFromValues } from './sign-in-identity.js';

/** The editing calls whose profile's keychain entry and settings must follow it. */
export type FollowedEdits = Pick<
  CallHandlers,
  'renameProfile' | 'deleteProfile' | 'undoDeleteProfile'
>;

export interface ProfileEntriesDeps {
  keychain: Keychain;
  settings: SettingsStore;
  profilesPath: string;
  clock: Clock;
  log: Logger;
}

/** What a deletion took away, kept until its undo window closes. */
interface Removed {
  profile: string;
  account: string;
  secret: string | null;
  settings: ProfileSettings | undefined;
  until: number;
}

/**
 * Keeps a profile's keychain entry and its settings with it: a rename moves
 * them to the new name, a delete removes them, and undoing the delete puts
 * them back. Without this, a renamed profile would look signed out and a
 * deleted one would leave its refresh token behind.
 *
 * LIMITATION: a deleted profile's secret is held in memory for the undo
 * window only; the editor's undo lives in memory too, so both end together
 * when the app quits. A crash between renaming the file and moving the entry
 * leaves the entry under the old name, where the orphan list shows it.
 */
export class ProfileEntries {
  readonly #deps: ProfileEntriesDeps;
  readonly #removed = new Map<string, Removed>();

  constructor(deps: ProfileEntriesDeps) {
    this.#deps = deps;
  }

  /** The same handlers, with each rename, delete and undo followed. */
  follow(handlers: FollowedEdits): FollowedEdits {
    return {
      renameProfile: async (request) => {
        const before = await this.#values(request.name);
        const replaced =
          request.replace === true ? await this.#values(request.newName) : null;
        const result = await handlers.renameProfile(request);
        if (!result.ok || before === null) return result;
        const problem = await this.#renamed(request.name, request.newName, {
          before,
          replaced,
        });
        return withProblem(result, problem);
      },
      deleteProfile: async (request) => {
        const before = await this.#values(request.name);
        const result = await handlers.deleteProfile(request);
        if (!result.ok || before === null) return result;
        const { undoId, undoableUntil } = result.value.undo;
        const problem = await this.#deleted(request.name, before, undoId, undoableUntil);
        return withProblem(result, problem);
      },
      undoDeleteProfile: async (request) => {
        const result = await handlers.undoDeleteProfile(request);
        if (!result.ok) return result;
        return withProblem(result, await this.#restored(request.undoId));
      },
    };
  }

  async #renamed(
    from: string,
    to: string,
    files: { before: ProfileValues; replaced: ProfileValues | null },
  ): Promise<string | null> {
    const { keychain, settings } = this.#deps;
    const kind = settings.profile(from).kind;
    const source = secretAccountFromValues(from, kind, files.before);
    const destination = secretAccountFromValues(to, kind, files.before);
    if (files.replaced !== null) {
      // The replaced profile's sign-in went with it; it must not become this one's.
      const replacedKind = settings.profile(to).kind;
      await keychain.deleteSecret(
        secretAccountFromValues(to, replacedKind, files.replaced),
      );
    }

    const read = await keychain.getSecret(source);
    if (!read.ok)
      return `Its sign-in stays in the keychain under "${source}": ${read.error.message}`;
    if (read.value !== null) {
      const copied = await this.#copy(destination, read.value);
      if (copied !== null)
        return `Its sign-in stays in the keychain under "${source}": ${copied}`;
    }
    const saved = await settings.renameProfile(from, to);
    if (!saved.ok) return `Its settings could not be moved: ${saved.error.message}`;
    if (read.value !== null) await keychain.deleteSecret(source);

    return null;
  }

  /** Writes the secret and reads it back; the source is removed only after this. */
  async #copy(account: string, secret: string): Promise<string | null> {
    const written = await this.#deps.keychain.setSecret(account, secret);
    if (!written.ok) return written.error.message;
    const back = await this.#deps.keychain.getSecret(account);
    if (!back.ok) return back.error.message;

    return back.value === secret
      ? null
      : 'the keychain did not give back what was stored';
  }

  async #deleted(
    profile: string,
    values: ProfileValues,
    undoId: string,
    until: number,
  ): Promise<string | null> {
    const { keychain, settings } = this.#deps;
    this.#forgetExpired();
    const stored = settings.stored(profile);
    const account = secretAccountFromValues(
      profile,
      settings.profile(profile).kind,
      values,
    );
    const read = await keychain.getSecret(account);
    if (!read.ok) {
      return `Its keychain entry "${account}" could not be removed: ${read.error.message}`;
    }
    this.#removed.set(undoId, {
      profile,
      account,
      secret: read.value,
      settings: stored,
      until,
    });
    if (stored !== undefined) await settings.removeProfile(profile);
    if (read.value === null) return null;
    const removed = await keychain.deleteSecret(account);

    return removed.ok
      ? null
      : `Its keychain entry "${account}" could not be removed: ${removed.error.message}`;
  }

  async #restored(undoId: string): Promise<string | null> {
    const removed = this.#removed.get(undoId);
    this.#removed.delete(undoId);
    if (removed === undefined) return null;
    if (removed.settings !== undefined) {
      await this.#deps.settings.updateProfile(removed.profile, removed.settings);
    }
    if (removed.secret === null) return null;
    const put = await this.#copy(removed.account, removed.secret);

    return put === null
      ? null
      : `Its sign-in could not be put back in the keychain: ${put}`;
  }

  #forgetExpired(): void {
    const now = this.#deps.clock.now();
    for (const [id, removed] of this.#removed) {
      if (removed.until < now) this.#removed.delete(id);
    }
  }

  async #values(profile: string): Promise<ProfileValues | null> {
    return readProfileValues(this.#deps.profilesPath, profile).catch((error: unknown) => {
      this.#deps.log.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'the profiles file could not be read before an edit',
      );
      return null;
    });
  }
}

/** The receipt with what could not follow the profile told in its description. */
function withProblem<T extends { description: string }>(
  result: Result<T> & { ok: true },
  problem: string | null,
): Result<T> {
  if (problem === null) return result;

  return {
    ok: true,
    value: { ...result.value, description: `${result.value.description} ${problem}` },
  };
}
