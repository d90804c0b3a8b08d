import { decode, encode } from 'ini';
import type { z } from 'zod';
import { decodeIniText, encodeIniName, encodeIniValue } from './ini-text-codec.js';
import {
  defaultSettings,
  preferencesSchema,
  profileSettingsSchema,
  type AppSettings,
  type Preferences,
  type ProfileSettings,
} from './settings-schema.js';

/**
 * The settings file as text:
 *
 *     version = 1
 *     [preferences]
 *     clipboardClearSeconds = 30
 *     [profile:default]
 *     signInStore = keychain
 *
 * One `[profile:NAME]` section per profile, NAME encoded so that any profile
 * name survives (see ini-text-codec.ts).
 */

export const settingsFormatVersion = '1';

export type ParsedSettings =
  | { ok: true; settings: AppSettings }
  | {
      ok: false;
      /** What is wrong, in plain words; names fields, never their values. */
      problems: string[];
    };

const header =
  '; Doover Profiles settings. Sign-ins and secrets are never stored here.\n';
const profilePrefix = 'profile:';
const textFields = new Set(['label', 'serviceAccountClientId']);

type Section = Record<string, unknown>;

/** The settings as the text of the settings file. */
export function formatSettingsText(settings: AppSettings): string {
  const sections: Array<[string, Section]> = [
    ['preferences', preferencesSection(settings.preferences)],
    ...Object.entries(settings.profiles).map(([name, profile]): [string, Section] => [
      profilePrefix + encodeIniName(name),
      profileSection(profile),
    ]),
  ];
  const document = Object.fromEntries([['version', settingsFormatVersion], ...sections]);

  return header + encode(document, { whitespace: true, platform: 'linux' });
}

/** Reads and validates the text of the settings file. */
export function parseSettingsText(text: string): ParsedSettings {
  const document = decode(text) as Record<string, unknown>;
  const problems: string[] = [];
  const profiles: Array<[string, ProfileSettings]> = [];
  let preferences: Preferences | undefined;

  for (const [key, value] of Object.entries(document)) {
    if (key === 'version') {
      if (value !== settingsFormatVersion) {
        problems.push(`version: expected ${settingsFormatVersion}`);
      }
    } else if (key === 'preferences') {
      preferences = readPreferences(value, problems);
    } else if (key.startsWith(profilePrefix)) {
      const profile = readProfile(key.slice(profilePrefix.length), value, problems);
      if (profile !== undefined) {
        profiles.push(profile);
      }
    } else {
      problems.push(`unknown entry "${key}"`);
    }
  }

  if (problems.length > 0) {
    return { ok: false, problems };
  }

  return {
    ok: true,
    settings: {
      preferences: preferences ?? defaultSettings().preferences,
      profiles: Object.fromEntries(profiles),
    },
  };
}

function readPreferences(value: unknown, problems: string[]): Preferences | undefined {
  if (!isSection(value)) {
    problems.push('preferences: expected a section');
    return undefined;
  }

  const parsed = preferencesSchema.safeParse(value);
  if (!parsed.success) {
    problems.push(...describeIssues('preferences', parsed.error));
    return undefined;
  }

  const values = parsed.data;
  return {
    clipboardClearSeconds: values.clipboardClearSeconds,
    notifications: values.notifications,
    refresh: {
      lifetimeFraction: values.refreshLifetimeFraction,
      leadSeconds: values.refreshLeadSeconds,
      minimumLeadSeconds: values.refreshMinimumLeadSeconds,
    },
  };
}

function readProfile(
  encodedName: string,
  value: unknown,
  problems: string[],
): [string, ProfileSettings] | undefined {
  const name = decodeIniText(encodedName);
  const where = `profile "${name}"`;
  if (name === '') {
    problems.push('a profile section has no name');
    return undefined;
  }
  if (encodeIniName(name) !== encodedName) {
    // Two spellings could otherwise name one profile and silently merge.
    problems.push(`${where}: the section name is not written as this app writes it`);
    return undefined;
  }
  if (!isSection(value)) {
    problems.push(`${where}: expected a section`);
    return undefined;
  }

  const parsed = profileSettingsSchema.safeParse(decodeTextFields(value));
  if (!parsed.success) {
    problems.push(...describeIssues(where, parsed.error));
    return undefined;
  }

  return [name, parsed.data];
}

function preferencesSection(preferences: Preferences): Section {
  return {
    clipboardClearSeconds: String(preferences.clipboardClearSeconds),
    notifications: preferences.notifications,
    refreshLifetimeFraction: String(preferences.refresh.lifetimeFraction),
    refreshLeadSeconds: String(preferences.refresh.leadSeconds),
    refreshMinimumLeadSeconds: String(preferences.refresh.minimumLeadSeconds),
  };
}

function profileSection(profile: ProfileSettings): Section {
  const section: Section = { signInStore: profile.signInStore, kind: profile.kind };
  if (profile.serviceAccountClientId !== null) {
    section.serviceAccountClientId = encodeIniValue(profile.serviceAccountClientId);
  }
  if (profile.colour !== null) {
    section.colour = profile.colour;
  }
  if (profile.label !== null) {
    section.label = encodeIniValue(profile.label);
  }

  return section;
}

function decodeTextFields(section: Section): Section {
  return Object.fromEntries(
    Object.entries(section).map(([key, value]) => {
      if (
        !textFields.has(key) ||
        (typeof value !== 'string' && typeof value !== 'boolean')
      ) {
        return [key, value];
      }
      // A hand-written bare `true` reaches us as a boolean; it was meant as text.
      return [key, decodeIniText(String(value))];
    }),
  );
}

function isSection(value: unknown): value is Section {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeIssues(where: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return `${where}: ${field}${issue.message}`;
  });
}
