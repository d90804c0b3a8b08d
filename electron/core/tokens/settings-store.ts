import type { SettingsView } from '../../../shared/token-types.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import type { Logger } from '../logger.js';
import { readSettings, updateSettings } from '../settings/app-settings.js';
import {
  defaultProfileSettings,
  defaultSettings,
  type AppSettings,
  type Preferences,
  type ProfileSettings,
} from '../settings/settings-schema.js';

/**
 * The app's settings kept in memory and written through: token glue asks
 * where a sign-in lives on every read, which must not cost a file read.
 */
export class SettingsStore {
  readonly #dataDir: string;
  readonly #log: Logger;
  #settings: AppSettings = defaultSettings();
  #problem: string | null = null;
  readonly #listeners = new Set<(settings: AppSettings) => void>();

  constructor(dataDir: string, log: Logger) {
    this.#dataDir = dataDir;
    this.#log = log;
  }

  /** Reads the settings file; a damaged one is reported in `view().problem`. */
  async load(): Promise<void> {
    const read = await readSettings({ dataDir: this.#dataDir, log: this.#log });
    this.#settings = read.settings;
    this.#problem =
      read.status === 'damaged' || read.status === 'unreadable' ? read.message : null;
  }

  get preferences(): Preferences {
    return this.#settings.preferences;
  }

  /** A profile's settings; defaults (file, user) when it has none. */
  profile(name: string): ProfileSettings {
    return this.#settings.profiles[name] ?? defaultProfileSettings;
  }

  onChange(listener: (settings: AppSettings) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Changes one profile's settings and writes the file. */
  updateProfile(
    name: string,
    change: Partial<ProfileSettings>,
  ): Promise<Result<AppSettings>> {
    return this.#update((current) => ({
      ...current,
      profiles: {
        ...current.profiles,
        [name]: { ...(current.profiles[name] ?? defaultProfileSettings), ...change },
      },
    }));
  }

  /** The settings the file holds for a profile, or undefined when it has none. */
  stored(name: string): ProfileSettings | undefined {
    return this.#settings.profiles[name];
  }

  /**
   * Gives `to` the settings of `from` (or none, when `from` has none) and
   * removes those of `from`: a renamed profile keeps where its sign-in lives.
   */
  renameProfile(from: string, to: string): Promise<Result<AppSettings>> {
    return this.#update((current) => {
      const profiles = withoutProfiles(current.profiles, [from, to]);
      const moved = current.profiles[from];
      if (moved !== undefined) profiles[to] = moved;
      return { ...current, profiles };
    });
  }

  /** Removes a deleted profile's settings. */
  removeProfile(name: string): Promise<Result<AppSettings>> {
    return this.#update((current) => ({
      ...current,
      profiles: withoutProfiles(current.profiles, [name]),
    }));
  }

  updatePreferences(
    change: (current: Preferences) => Preferences,
  ): Promise<Result<AppSettings>> {
    return this.#update((current) => ({
      ...current,
      preferences: change(current.preferences),
    }));
  }

  /** The settings as the UI shows them. */
  view(): SettingsView {
    const profiles: SettingsView['profiles'] = {};
    for (const [name, each] of Object.entries(this.#settings.profiles)) {
      profiles[name] = { signInStore: each.signInStore, kind: each.kind };
    }

    return {
      preferences: structuredClone(this.#settings.preferences),
      profiles,
      problem: this.#problem,
    };
  }

  async #update(change: (current: AppSettings) => AppSettings) {
    const written = await updateSettings(
      { dataDir: this.#dataDir, log: this.#log },
      change,
    );
    if (!written.ok) {
      return fail<AppSettings>(written.error.code, written.error.message);
    }
    this.#settings = written.value;
    for (const listener of this.#listeners) {
      listener(written.value);
    }

    return ok(written.value);
  }
}

function withoutProfiles(
  profiles: AppSettings['profiles'],
  names: readonly string[],
): AppSettings['profiles'] {
  return Object.fromEntries(
    Object.entries(profiles).filter(([name]) => !names.includes(name)),
  );
}
