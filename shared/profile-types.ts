/** What the renderer and the command line know of the profiles file. No secrets. */

export type ExpirySource = 'file' | 'jwt';

export type EnvironmentKind = 'production' | 'staging' | 'custom' | 'unknown';

export interface EnvironmentBadge {
  kind: EnvironmentKind;
  /** "Production", "Staging", or the host of a custom server. */
  label: string;
}

/** The fields of a profile as pydoover names them in the file. */
export const profileKeys = [
  'TOKEN',
  'TOKEN_EXPIRES',
  'AGENT_ID',
  'BASE_URL',
  'REFRESH_TOKEN',
  'REFRESH_TOKEN_ID',
  'BASE_DATA_URL',
  'AUTH_SERVER_URL',
  'AUTH_SERVER_CLIENT_ID',
] as const;

export type ProfileKey = (typeof profileKeys)[number];

export interface ProfileProblem {
  /** The file key the problem is about, or null for the profile as a whole. */
  key: ProfileKey | null;
  message: string;
}

export interface ProfileSummary {
  name: string;
  /** The file's TOKEN_EXPIRES in seconds, or null when unset or unreadable. */
  tokenExpires: number | null;
  /** The file's TOKEN_EXPIRES text when pydoover cannot read it, else null. */
  unreadableTokenExpires: string | null;
  /** Effective expiry in seconds: TOKEN_EXPIRES, else the token's `exp` claim. */
  expiresAt: number | null;
  expirySource: ExpirySource | null;
  /** The token's `iat` claim in POSIX seconds, or null when it has none. */
  issuedAt?: number | null;
  agentId: string | null;
  baseUrl: string | null;
  dataBaseUrl: string | null;
  authServerUrl: string | null;
  authServerClientId: string | null;
  refreshTokenId: string | null;
  hasToken: boolean;
  hasRefreshToken: boolean;
  /** First and last four characters of the token, or null. */
  maskedToken: string | null;
  maskedRefreshToken: string | null;
  environment: EnvironmentBadge;
  /** Keys in the block that pydoover ignores (and drops when it rewrites the file). */
  ignoredKeys: string[];
  problems: ProfileProblem[];
  /**
   * Profiles whose `[profile=…]` line follows this profile's keys with no blank
   * line between, so pydoover reads them as part of this one. Until they are
   * separated, the app refuses to rewrite, copy or delete this profile. When
   * there are any, the first of `problems` says so.
   */
  joinedProfiles: string[];
}

/** A block of the file that is not a profile pydoover reads; kept byte for byte. */
export interface PreservedBlock {
  /** The block's first line, with anything after `=` hidden. */
  label: string;
  /** Why pydoover does not read it as a profile, in plain words. */
  reason: string;
}

export type ConfigFileState =
  | { status: 'ok' }
  | { status: 'missing' }
  | {
      status: 'unreadable';
      /** What went wrong, in plain words. */
      cause: string;
      /** What the user can do about it. */
      remedy: string;
    };

export interface ConfigSnapshot {
  /** Absolute path of the profiles file. */
  path: string;
  file: ConfigFileState;
  profiles: ProfileSummary[];
  preservedBlocks: PreservedBlock[];
  /** Null when pydoover can read the file, else in plain words why every `doover` command fails. */
  pydooverError: string | null;
  /** When the file was read, in milliseconds since the epoch. */
  readAt: number;
}

export type SecretField = 'token' | 'refreshToken';

export interface RevealedSecret {
  value: string;
}

/** The file keys that hold text; TOKEN_EXPIRES is given in seconds instead. */
export type TextProfileKey = Exclude<ProfileKey, 'TOKEN_EXPIRES'>;

/**
 * New values for some fields of a profile. Text fields: '' unsets the field.
 * TOKEN_EXPIRES: POSIX seconds, written as Python writes a float; null unsets it.
 */
export type ProfileFieldChanges = { [Key in TextProfileKey]?: string | undefined } & {
  TOKEN_EXPIRES?: number | null | undefined;
};

/** What the app did to the profiles file, in words, and the file as it now reads. */
export interface ProfileWriteReceipt {
  description: string;
  snapshot: ConfigSnapshot;
}

/** A deleted profile the app can still put back at its place, for a short while. */
export interface UndoableDeletion {
  undoId: string;
  profile: string;
  /** Until when, in milliseconds since the epoch, the deletion can be undone. */
  undoableUntil: number;
}

export interface ProfileDeletionReceipt extends ProfileWriteReceipt {
  undo: UndoableDeletion;
}

/** A block the app does not manage, for showing read-only and deleting. */
export interface PreservedBlockText {
  index: number;
  /** The block's lines, with the values of secret-looking keys masked. */
  text: string;
  /** Identifies the exact block text, so a delete removes the block that was shown. */
  fingerprint: string;
}

export type ExpiryRepair = 'from-token' | 'clear';

/** A version of the profiles file that the app replaced, kept so it can be restored. */
export interface HistoryEntry {
  id: string;
  /** When the app replaced this version, in milliseconds since the epoch. */
  replacedAt: number;
  /** The change that replaced it, in words. */
  replacedBy: string;
  /** Profiles this version held, in file order. */
  profileNames: string[];
  bytes: number;
}

/** Something another program changed in the profiles file, in words. */
export interface FileChange {
  /** The profile it concerns, or null for the file as a whole. */
  profile: string | null;
  message: string;
  /** When the app noticed, in milliseconds since the epoch. */
  at: number;
}
