import type { CallHandlers } from '../../../shared/contract.js';
import type { UndoableDeletion } from '../../../shared/profile-types.js';
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
      renameProfile: (request) =>
        this.rename(request, () => handlers.renameProfile(request)),
      deleteProfile: (request) =>
        this.delete(
          request.name,
          () => handlers.deleteProfile(request),
          (value) => value.undo,
        ),
      undoDeleteProfile: async (request) => {
        const result = await handlers.undoDeleteProfile(request);
        if (!result.ok) return result;
        return withProblem(result, await this.#restored(request.undoId));
      },
    };
  }

  /** Runs a rename of the file, then moves the profile's keychain entry and settings. */
  async rename<T extends { description: string }>(
    request: { name: string; newName: string; replace?: boolean | undefined },
    edit: () => Promise<Result<T>>,
  ): Promise<Result<T>> {
    const before = await this.#values(request.name);
    const replaced =
      request.replace === true ? await this.#values(request.newName) : null;
    const result = await edit();
    if (!result.ok || before === null) return result;
    const problem = await this.#renamed(request.name, request.newName, {
      before,
      replaced,
    });
    return withProblem(result, problem);
  }

  /**
   * Runs a delete in the file, then removes the profile's keychain entry and
   * settings. With an undo window they are kept until it closes; without
   * one (`undoOf` gives null) they are gone for good.
   */
  async delete<T extends { description: string }>(
    profile: string,
    edit: () => Promise<Result<T>>,
    undoOf: (value: T) => Pick<UndoableDeletion, 'undoId' | 'undoableUntil'> | null,
  ): Promise<Result<T>> {
    const before = await this.#values(profile);
    const result = await edit();
    if (!result.ok || before === null) return result;
    const problem = await this.#deleted(profile, before, undoOf(result.value));
    return withProblem(result, problem);
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

    // Settings move even when the keychain cannot answer: without them the
    // renamed profile would look signed out.
    const inKeychain = settings.profile(from).signInStore === 'keychain';
    const read = await keychain.getSecret(source);
    const secret = read.ok ? read.value : null;
    const copied = secret === null ? null : await this.#copy(destination, secret);
    const saved = await settings.renameProfile(from, to);
    if (secret !== null && copied === null) await keychain.deleteSecret(source);
    const kept = `Its sign-in stays in the keychain under "${source}":`;

    return joinProblems([
      !read.ok && inKeychain ? `${kept} ${read.error.message}` : null,
      copied === null ? null : `${kept} ${copied}`,
      saved.ok ? null : `Its settings could not be moved: ${saved.error.message}`,
    ]);
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
    undo: Pick<UndoableDeletion, 'undoId' | 'undoableUntil'> | null,
  ): Promise<string | null> {
    const { keychain, settings } = this.#deps;
    this.#forgetExpired();
    const stored = settings.stored(profile);
    const account = secretAccountFromValues(
      profile,
      settings.profile(profile).kind,
      values,
    );
    const inKeychain = settings.profile(profile).signInStore === 'keychain';
    const read = await keychain.getSecret(account);
    const secret = read.ok ? read.value : null;
    if (undo !== null) {
      const { undoId, undoableUntil: until } = undo;
      this.#removed.set(undoId, { profile, account, secret, settings: stored, until });
    }
    if (stored !== undefined) await settings.removeProfile(profile);
    const removed = secret === null ? null : await keychain.deleteSecret(account);
    const notRemoved = `Its keychain entry "${account}" could not be removed:`;

    return joinProblems([
      !read.ok && inKeychain ? `${notRemoved} ${read.error.message}` : null,
      removed === null || removed.ok ? null : `${notRemoved} ${removed.error.message}`,
    ]);
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

function joinProblems(problems: Array<string | null>): string | null {
  const said = problems.filter((each): each is string => each !== null);

  return said.length === 0 ? null : said.join(' ');
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
