/** What the renderer learns about sign-ins, tokens, renewals and the keychain. No secrets. */

/** Where a profile's refresh token (or a service account's client secret) lives. */
export type SignInStore = 'keychain' | 'file';

export type SignInEnvironment = 'production' | 'staging' | 'custom';

/** A device sign-in waiting for the user to approve it in a browser. */
export interface SignInStarted {
  profile: string;
  userCode: string;
  verificationUri: string;
  /** The verification page with the code filled in, or null when the server gives none. */
  verificationUriComplete: string | null;
  /** When the code stops working, in milliseconds since the epoch. */
  expiresAt: number;
}

/** What a running sign-in is doing, in words; sent as `onSignInProgress`. */
export type SignInProgress =
  | ({ state: 'code' } & SignInStarted)
  | { state: 'waiting'; profile: string; nextPollAt: number; message: string }
  | { state: 'retrying'; profile: string; nextPollAt: number; message: string }
  | {
      state: 'signed-in';
      profile: string;
      /** The email claim, else the subject, of the new token; null when neither. */
      signedInAs: string | null;
      store: SignInStore;
      /** Where the sign-in was kept and why, in words. */
      message: string;
    }
  | {
      state: 'failed';
      profile: string;
      /** Whether "Get a new code" can help (the code expired or was replaced). */
      canRetry: boolean;
      message: string;
    }
  | { state: 'cancelled'; profile: string; message: string };

export interface CancelSignInReceipt {
  /** False when no sign-in was running for the profile. */
  cancelled: boolean;
}

export interface SignOutReceipt {
  /** What was removed, and what the auth server said, in words. */
  description: string;
}

/** A refreshed (or still good) token's times; never the token itself. */
export interface TokenRefreshReceipt {
  /** POSIX seconds, or null when unknown. */
  expiresAt: number | null;
  /** False when the stored token was still good and no request was made. */
  refreshed: boolean;
  signedInAs: string | null;
}

/** A token the user asked to copy, with how long the clipboard may hold it. */
export interface TokenForCopy extends TokenRefreshReceipt {
  token: string;
  clipboardClearSeconds: number | 'never';
}

/** A profile's renewal in the background. Times in milliseconds since the epoch. */
export type RenewalState =
  | { kind: 'planned'; at: number }
  | { kind: 'renewing' }
  | { kind: 'renewed'; at: number; next: number | null }
  | { kind: 'retrying'; at: number; reason: string }
  | { kind: 'needs-sign-in' }
  | { kind: 'keychain-locked'; reason: string }
  | { kind: 'cannot-renew'; expiresAt: number | null };

/** Every profile's renewal state and the clock check; sent as `onRenewalStates`. */
export interface RenewalStates {
  profiles: Record<string, RenewalState>;
  /** "Your computer's clock is 6 min behind", or null when the clocks agree. */
  clockSkew: string | null;
}

export type KeychainHealthState =
  'ok' | 'no-service' | 'locked' | 'denied' | 'unavailable' | 'timeout' | 'failed';

/** Whether the keychain works, and entries that belong to no profile; sent as `onKeychainStatus`. */
export interface KeychainStatus {
  state: KeychainHealthState;
  message: string;
  checkedAt: number;
  /** Keychain accounts ("name@auth server") that belong to no current profile. */
  orphans: string[];
}

export interface OrphanRemovalReceipt {
  removed: string[];
  /** Accounts that could not be removed, with why, in words; empty when all went. */
  problems: string[];
  status: KeychainStatus;
}

export interface SignInMoveReceipt {
  store: SignInStore;
  message: string;
}

/** The user's preferences for copying, notifications and background renewal. */
export interface AppPreferences {
  clipboardClearSeconds: number | 'never';
  notifications: boolean;
  refresh: {
    /** Renew once this share of a token's lifetime has passed (0.5 to 0.95)… */
    lifetimeFraction: number;
    /** …or this many seconds before expiry, whichever comes first… */
    leadSeconds: number;
    /** …and never later than this many seconds before expiry. */
    minimumLeadSeconds: number;
  };
}

/** When background renewal happens until the user chooses otherwise. */
export const defaultRefreshPolicy: AppPreferences['refresh'] = {
  lifetimeFraction: 0.75,
  leadSeconds: 300,
  minimumLeadSeconds: 60,
};

/** The app's own settings of one profile, as the UI shows them. */
export interface ProfileSettingsView {
  signInStore: SignInStore;
  kind: 'user' | 'service-account';
}

export interface SettingsView {
  preferences: AppPreferences;
  /** By profile name; a profile with no entry uses the file and is a user profile. */
  profiles: Record<string, ProfileSettingsView>;
  /** Why the settings file was set aside or cannot be read, or null. */
  problem: string | null;
}

/** What started a renewal. */
export type RefreshTrigger =
  'scheduled' | 'wake' | 'button' | 'copy' | 'command line' | 'new sign-in';

export type RefreshLogResult = 'renewed' | 'needs-sign-in' | 'failed' | 'keychain-locked';

/** One renewal attempt, as the renewal log shows it; never a token. */
export interface RefreshLogEntry {
  /** When the attempt started, in milliseconds since the epoch. */
  at: number;
  profile: string;
  trigger: RefreshTrigger;
  result: RefreshLogResult;
  /** What happened, in plain words. */
  message: string;
  durationMs: number;
}
