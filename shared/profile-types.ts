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
  /** Null when pydoover can read the file, else why every `doover` command fails. */
  pydooverError: string | null;
  /** When the file was read, in milliseconds since the epoch. */
  readAt: number;
}

export type SecretField = 'token' | 'refreshToken';

export interface RevealedSecret {
  value: string;
}
