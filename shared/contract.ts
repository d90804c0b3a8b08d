import { z } from 'zod';
import type {
  ConfigSnapshot,
  FileChange,
  HistoryEntry,
  PreservedBlockText,
  ProfileDeletionReceipt,
  ProfileWriteReceipt,
  RevealedSecret,
} from './profile-types.js';
import type { Result } from './result.js';
import type {
  CancelSignInReceipt,
  KeychainStatus,
  OrphanRemovalReceipt,
  RefreshLogEntry,
  RenewalStates,
  SettingsView,
  SignInMoveReceipt,
  SignInProgress,
  SignInStarted,
  SignOutReceipt,
  TokenForCopy,
  TokenRefreshReceipt,
} from './token-types.js';

/**
 * The one contract between the main process and the renderer. The preload
 * (Electron) and the HTTP client (browser mode) are both built from it, and
 * main validates every call against it before a handler runs.
 */

interface CallSpec<Request extends z.ZodType, Response> {
  channel: string;
  request: Request;
  /** Carries the response type only; never set at run time. */
  readonly response?: Response;
}

/**
 * 'state': each payload replaces the one before (a page that connects late
 * needs only the latest). 'news': something that happened once (a page that
 * was not listening must not be told it again later).
 */
export type EventKind = 'state' | 'news';

interface EventSpec<Payload> {
  channel: string;
  kind: EventKind;
  readonly payload?: Payload;
}

function defineCall<Response>() {
  return <Request extends z.ZodType>(
    channel: string,
    request: Request,
  ): CallSpec<Request, Response> => ({ channel, request });
}

function defineEvent<Payload>(channel: string, kind: EventKind): EventSpec<Payload> {
  return { channel, kind };
}

const profileName = z.string().min(1).max(1000);
/** A name the user typed; main explains in words what is wrong with one it refuses. */
const newProfileName = z.string().max(1000);
const fieldText = z.string().max(64 * 1024);
/** New field values: '' unsets a text field; TOKEN_EXPIRES in seconds, null unsets it. */
const profileFieldChanges = z
  .object({
    TOKEN: fieldText.optional(),
    TOKEN_EXPIRES: z.number().nullable().optional(),
    AGENT_ID: fieldText.optional(),
    BASE_URL: fieldText.optional(),
    REFRESH_TOKEN: fieldText.optional(),
    REFRESH_TOKEN_ID: fieldText.optional(),
    BASE_DATA_URL: fieldText.optional(),
    AUTH_SERVER_URL: fieldText.optional(),
    AUTH_SERVER_CLIENT_ID: fieldText.optional(),
  })
  .strict();
const replaceExisting = z.boolean().optional();
const serverUrl = z.string().min(1).max(2000);
const customEnvironment = z
  .object({
    authServerUrl: serverUrl,
    baseUrl: serverUrl,
    dataBaseUrl: serverUrl,
    clientId: z.string().min(1).max(500),
  })
  .strict();
const signInRequest = z.discriminatedUnion('environment', [
  z
    .object({
      profile: newProfileName,
      environment: z.enum(['production', 'staging']),
      replace: replaceExisting,
    })
    .strict(),
  z
    .object({
      profile: newProfileName,
      environment: z.literal('custom'),
      custom: customEnvironment,
      replace: replaceExisting,
    })
    .strict(),
]);
const preferenceChanges = z
  .object({
    clipboardClearSeconds: z
      .union([z.literal('never'), z.number().int().min(10).max(300)])
      .optional(),
    notifications: z.boolean().optional(),
    refresh: z
      .object({
        lifetimeFraction: z.number().min(0.5).max(0.95).optional(),
        leadSeconds: z.number().int().min(30).max(3600).optional(),
        minimumLeadSeconds: z.number().int().min(30).max(600).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const calls = {
  getSnapshot: defineCall<ConfigSnapshot>()(
    'profiles:get-snapshot',
    z.object({}).strict(),
  ),
  revealSecret: defineCall<RevealedSecret>()(
    'profiles:reveal-secret',
    z.object({ profile: profileName, field: z.enum(['token', 'refreshToken']) }).strict(),
  ),
  createProfile: defineCall<ProfileWriteReceipt>()(
    'profiles:create',
    z
      .object({
        name: newProfileName,
        fields: profileFieldChanges,
        replace: replaceExisting,
      })
      .strict(),
  ),
  updateProfile: defineCall<ProfileWriteReceipt>()(
    'profiles:update',
    z.object({ name: profileName, fields: profileFieldChanges }).strict(),
  ),
  renameProfile: defineCall<ProfileWriteReceipt>()(
    'profiles:rename',
    z
      .object({ name: profileName, newName: newProfileName, replace: replaceExisting })
      .strict(),
  ),
  duplicateProfile: defineCall<ProfileWriteReceipt>()(
    'profiles:duplicate',
    z
      .object({ name: profileName, newName: newProfileName, replace: replaceExisting })
      .strict(),
  ),
  deleteProfile: defineCall<ProfileDeletionReceipt>()(
    'profiles:delete',
    z.object({ name: profileName }).strict(),
  ),
  undoDeleteProfile: defineCall<ProfileWriteReceipt>()(
    'profiles:undo-delete',
    z.object({ undoId: z.uuid() }).strict(),
  ),
  getPreservedBlock: defineCall<PreservedBlockText>()(
    'profiles:get-preserved-block',
    z.object({ index: z.number().int().min(0).max(1_000_000) }).strict(),
  ),
  deletePreservedBlock: defineCall<ProfileWriteReceipt>()(
    'profiles:delete-preserved-block',
    z
      .object({
        index: z.number().int().min(0).max(1_000_000),
        fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
      })
      .strict(),
  ),
  repairExpiry: defineCall<ProfileWriteReceipt>()(
    'profiles:repair-expiry',
    z.object({ name: profileName, repair: z.enum(['from-token', 'clear']) }).strict(),
  ),
  /** Puts a blank line before each profile that starts inside this one, with no other change. */
  separateJoinedProfiles: defineCall<ProfileWriteReceipt>()(
    'profiles:separate-joined',
    z.object({ name: profileName }).strict(),
  ),
  listHistory: defineCall<HistoryEntry[]>()('history:list', z.object({}).strict()),
  restoreHistory: defineCall<ProfileWriteReceipt>()(
    'history:restore',
    z.object({ id: z.string().regex(/^\d{15}-[0-9a-f]{8}$/) }).strict(),
  ),
  /** Starts a device sign-in; progress follows as `onSignInProgress`. */
  startSignIn: defineCall<SignInStarted>()('auth:start-sign-in', signInRequest),
  cancelSignIn: defineCall<CancelSignInReceipt>()(
    'auth:cancel-sign-in',
    z.object({ profile: profileName }).strict(),
  ),
  signOut: defineCall<SignOutReceipt>()(
    'auth:sign-out',
    z.object({ profile: profileName }).strict(),
  ),
  refreshToken: defineCall<TokenRefreshReceipt>()(
    'tokens:refresh',
    z.object({ profile: profileName }).strict(),
  ),
  /** The token itself, for the user who asked to copy it; refreshed first when nearly expired. */
  getTokenForCopy: defineCall<TokenForCopy>()(
    'tokens:get-for-copy',
    z.object({ profile: profileName }).strict(),
  ),
  getRenewalStates: defineCall<RenewalStates>()(
    'tokens:renewal-states',
    z.object({}).strict(),
  ),
  /** The last renewal attempts of every profile, newest first; never a token. */
  getRefreshLog: defineCall<RefreshLogEntry[]>()(
    'tokens:refresh-log',
    z.object({}).strict(),
  ),
  addServiceAccount: defineCall<ProfileWriteReceipt>()(
    'service-accounts:add',
    z
      .object({
        name: newProfileName,
        dataBaseUrl: serverUrl,
        clientId: z.string().min(1).max(500),
        clientSecret: z.string().min(1).max(4096),
        replace: replaceExisting,
      })
      .strict(),
  ),
  getKeychainStatus: defineCall<KeychainStatus>()(
    'keychain:status',
    z.object({}).strict(),
  ),
  removeKeychainOrphans: defineCall<OrphanRemovalReceipt>()(
    'keychain:remove-orphans',
    z.object({ accounts: z.array(z.string().min(1).max(3000)).max(1000) }).strict(),
  ),
  moveSignIn: defineCall<SignInMoveReceipt>()(
    'profiles:move-sign-in',
    z.object({ profile: profileName, to: z.enum(['keychain', 'file']) }).strict(),
  ),
  getSettings: defineCall<SettingsView>()('settings:get', z.object({}).strict()),
  updateSettings: defineCall<SettingsView>()(
    'settings:update',
    z.object({ preferences: preferenceChanges }).strict(),
  ),
};

export const events = {
  onSnapshot: defineEvent<ConfigSnapshot>('profiles:snapshot', 'state'),
  /** What another program changed in the file, in words. */
  onFileChanges: defineEvent<FileChange[]>('profiles:file-changes', 'news'),
  onSignInProgress: defineEvent<SignInProgress>('auth:sign-in-progress', 'news'),
  onRenewalStates: defineEvent<RenewalStates>('tokens:renewal-states-changed', 'state'),
  onKeychainStatus: defineEvent<KeychainStatus>('keychain:status-changed', 'state'),
  /** One renewal attempt just recorded in the renewal log. */
  onRefreshLogEntry: defineEvent<RefreshLogEntry>('tokens:refresh-log-entry', 'news'),
};

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;

export type CallRequest<Name extends CallName> = z.input<(typeof calls)[Name]['request']>;
export type ParsedCallRequest<Name extends CallName> = z.output<
  (typeof calls)[Name]['request']
>;
export type CallResponse<Name extends CallName> = NonNullable<
  (typeof calls)[Name]['response']
>;
export type EventPayload<Name extends EventName> = NonNullable<
  (typeof events)[Name]['payload']
>;

export type Unsubscribe = () => void;

/** What the renderer sees: one named method per call and per event. */
export type DooverApi = {
  [Name in CallName]: (request: CallRequest<Name>) => Promise<Result<CallResponse<Name>>>;
} & {
  [Name in EventName]: (listener: (payload: EventPayload<Name>) => void) => Unsubscribe;
};

/** What main implements: one handler per call, given an already-parsed request. */
export type CallHandlers = {
  [Name in CallName]: (
    request: ParsedCallRequest<Name>,
  ) => Promise<Result<CallResponse<Name>>>;
};

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

const callsByChannel = new Map(callNames.map((name) => [calls[name].channel, name]));

/** The call a channel belongs to, or undefined for a channel the contract does not know. */
export function callNameForChannel(channel: unknown): CallName | undefined {
  return typeof channel === 'string' ? callsByChannel.get(channel) : undefined;
}
