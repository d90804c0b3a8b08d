import { z } from 'zod';
import { defaultRefreshPolicy, type RefreshPolicy } from '../scheduler/refresh-plan.js';

/**
 * The app's own settings: per-profile choices that have no place in the
 * Doover profiles file, and the user's preferences. No secret ever lives here.
 */

export type SignInStore = 'keychain' | 'file';
export type ProfileKind = 'user' | 'service-account';

export interface ProfileSettings {
  /** Where the profile's refresh token (or client secret) is kept. */
  signInStore: SignInStore;
  kind: ProfileKind;
  /** A service account's client id (not secret); null for user profiles. */
  serviceAccountClientId: string | null;
  /** `#rrggbb`, or null for the default colour. */
  colour: string | null;
  /** A short name the user gave the profile, or null. */
  label: string | null;
}

/** When background renewal starts, named and defaulted as the scheduler's policy is. */
export type { RefreshPolicy } from '../scheduler/refresh-plan.js';

export interface Preferences {
  /** Clear a copied secret from the clipboard after this long, or never. */
  clipboardClearSeconds: number | 'never';
  notifications: boolean;
  refresh: RefreshPolicy;
}

export interface AppSettings {
  preferences: Preferences;
  /** By profile name. */
  profiles: Record<string, ProfileSettings>;
}

export const clipboardClearLimits = { minSeconds: 10, maxSeconds: 300 } as const;

export const defaultPreferences: Preferences = {
  clipboardClearSeconds: 30,
  notifications: true,
  refresh: { ...defaultRefreshPolicy },
};

export const defaultProfileSettings: ProfileSettings = {
  signInStore: 'file',
  kind: 'user',
  serviceAccountClientId: null,
  colour: null,
  label: null,
};

/** Settings for a first start: default preferences, no profile entries. */
export function defaultSettings(): AppSettings {
  return {
    preferences: { ...defaultPreferences, refresh: { ...defaultPreferences.refresh } },
    profiles: {},
  };
}

const jwtShaped = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\./;

/** Seconds as the file holds them: digits only (the ini reader yields text). */
function seconds(min: number, max: number) {
  return z
    .union([
      z.number(),
      z.string().regex(/^\d{1,9}$/, 'Expected a whole number of seconds'),
    ])
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** A share such as 0.75, as the file holds it (the ini reader yields text). */
function fraction(min: number, max: number) {
  return z
    .union([
      z.number(),
      z.string().regex(/^0?\.\d{1,6}$/, 'Expected a share such as 0.75'),
    ])
    .transform(Number)
    .pipe(z.number().min(min).max(max));
}

function freeText(maxLength: number) {
  return z
    .string()
    .max(maxLength)
    .refine(
      (text) => !jwtShaped.test(text),
      'Looks like a token; secrets are never stored here',
    );
}

export const preferencesSchema = z
  .strictObject({
    clipboardClearSeconds: z
      .union([
        z.literal('never'),
        seconds(clipboardClearLimits.minSeconds, clipboardClearLimits.maxSeconds),
      ])
      .default(defaultPreferences.clipboardClearSeconds),
    notifications: z.boolean().default(defaultPreferences.notifications),
    refreshLifetimeFraction: fraction(0.5, 0.95).default(
      defaultPreferences.refresh.lifetimeFraction,
    ),
    refreshLeadSeconds: seconds(30, 3600).default(defaultPreferences.refresh.leadSeconds),
    refreshMinimumLeadSeconds: seconds(30, 600).default(
      defaultPreferences.refresh.minimumLeadSeconds,
    ),
  })
  .refine((values) => values.refreshLeadSeconds >= values.refreshMinimumLeadSeconds, {
    message: 'refreshLeadSeconds must not be below refreshMinimumLeadSeconds',
  });

export const profileSettingsSchema = z
  .strictObject({
    signInStore: z.enum(['keychain', 'file']).default(defaultProfileSettings.signInStore),
    kind: z.enum(['user', 'service-account']).default(defaultProfileSettings.kind),
    serviceAccountClientId: freeText(200).min(1).nullable().default(null),
    colour: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'Expected a colour like #3b82f6')
      .nullable()
      .default(null),
    label: freeText(100).nullable().default(null),
  })
  .refine(
    (values) =>
      values.kind === 'service-account' || values.serviceAccountClientId === null,
    {
      message: 'Only a service account has a client id',
    },
  );
