import { buildDooverApi } from '../../shared/api-from-contract';
import {
  callNameForChannel,
  events,
  type CallName,
  type CallRequest,
  type CallResponse,
  type DooverApi,
  type EventName,
  type EventPayload,
} from '../../shared/contract';
import { environmentOf } from '../../shared/environments';
import type {
  ConfigSnapshot,
  FileChange,
  HistoryEntry,
  ProfileFieldChanges,
  ProfileSummary,
  ProfileWriteReceipt,
  SecretField,
} from '../../shared/profile-types';
import { fail, ok, type Result } from '../../shared/result';
import { makeProfile } from './sample-snapshot';

type Secrets = Record<string, Partial<Record<SecretField, string>>>;

type Answer<Name extends CallName> = (
  request: CallRequest<Name>,
) => Result<CallResponse<Name>>;

/** One request the renderer sent, as main would have received it. */
export interface SentCall {
  call: CallName;
  request: unknown;
}

/** An in-memory main process: answers calls from fixed data and pushes snapshots on demand. */
export interface InMemoryApi {
  api: DooverApi;
  /** Pushes a snapshot to every subscriber, as main does when the file changes. */
  push: (snapshot: ConfigSnapshot) => void;
  /** Changes what getSnapshot answers from now on, without telling subscribers. */
  setSnapshotAnswer: (snapshot: ConfigSnapshot) => void;
  /** Tells subscribers what another program changed in the file. */
  pushFileChanges: (changes: FileChange[]) => void;
  /** Sends any event to its subscribers, as main would. */
  emit: <Name extends EventName>(event: Name, payload: EventPayload<Name>) => void;
  /** Makes one call answer with `answer` from now on, e.g. to fail. */
  answer: <Name extends CallName>(call: Name, answer: Answer<Name>) => void;
  /** Every revealSecret request, in order. */
  revealRequests: { profile: string; field: SecretField }[];
  /** Every call except getSnapshot and revealSecret, in order. */
  sent: SentCall[];
  /** The requests of one call, in order. */
  requestsOf: <Name extends CallName>(call: Name) => CallRequest<Name>[];
  subscriberCount: () => number;
}

interface InMemoryOptions {
  secrets?: Secrets;
  /** The text getPreservedBlock answers for each preserved block, by index. */
  preservedTexts?: string[];
}

type ModelHandlers = {
  [Name in CallName]?: Answer<Name>;
};

/**
 * Builds an in-memory implementation of the contract for component tests,
 * through the same contract-built API the real shells use. Changes apply to
 * the snapshot it holds (a simple model of the file: no bytes, only what the
 * renderer can see), are pushed to subscribers as main pushes a re-read file,
 * and keep the snapshot they replaced as history. Calls it does not model
 * answer with an error.
 */
export function createInMemoryApi(
  initial: Result<ConfigSnapshot>,
  options: InMemoryOptions = {},
): InMemoryApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const emit = <Name extends EventName>(event: Name, payload: EventPayload<Name>) =>
    listeners.get(events[event].channel)?.forEach((listener) => listener(payload));
  const model = new FileModel(initial, options.preservedTexts ?? [], (snapshot) =>
    emit('onSnapshot', snapshot),
  );
  const revealRequests: InMemoryApi['revealRequests'] = [];
  const sent: SentCall[] = [];
  const answers: ModelHandlers = {};
  const handlers: ModelHandlers = {
    getSnapshot: () => model.current,
    revealSecret: ({ profile, field }) => {
      revealRequests.push({ profile, field });
      const value = options.secrets?.[profile]?.[field];

      return value === undefined
        ? fail('not-found', `${profile} has no such secret.`)
        : ok({ value });
    },
    ...modelHandlers(model),
  };

  const api = buildDooverApi({
    call: async (channel, request) => {
      const name = callNameForChannel(channel);
      if (name === undefined) {
        return fail('bad-request', `Unknown channel ${channel}.`);
      }
      if (name !== 'getSnapshot' && name !== 'revealSecret') {
        sent.push({ call: name, request });
      }
      const answer = (answers[name] ?? handlers[name]) as
        ((request: unknown) => Result<unknown>) | undefined;

      return answer === undefined
        ? fail('internal', `The in-memory main process does not answer ${name}.`)
        : answer(request);
    },
    subscribe: (channel, listener) => {
      const forChannel = listeners.get(channel) ?? new Set();
      listeners.set(channel, forChannel.add(listener));

      return () => forChannel.delete(listener);
    },
  });

  return {
    api,
    push: (snapshot) => model.publish(snapshot),
    setSnapshotAnswer: (snapshot) => {
      model.current = ok(snapshot);
    },
    pushFileChanges: (changes) => emit('onFileChanges', changes),
    emit,
    answer: (call, answer) => {
      (answers as Record<CallName, unknown>)[call] = answer;
    },
    revealRequests,
    sent,
    requestsOf: <Name extends CallName>(call: Name) =>
      sent
        .filter((entry) => entry.call === call)
        .map((entry) => entry.request as CallRequest<Name>),
    subscriberCount: () =>
      [...listeners.values()].reduce((count, forChannel) => count + forChannel.size, 0),
  };
}

/** The calls that change the file, answered by the model. */
function modelHandlers(model: FileModel): ModelHandlers {
  return {
    createProfile: (request) => model.create(request),
    updateProfile: (request) => model.update(request),
    renameProfile: (request) => model.rename(request),
    duplicateProfile: (request) => model.duplicate(request),
    deleteProfile: (request) => model.delete(request.name),
    undoDeleteProfile: (request) => model.undoDelete(request.undoId),
    getPreservedBlock: (request) => model.preservedBlock(request.index),
    deletePreservedBlock: (request) => model.deletePreservedBlock(request.index),
    repairExpiry: (request) => model.repair(request),
    listHistory: () => ok(model.historyEntries()),
    restoreHistory: (request) => model.restore(request.id),
  };
}

/** The snapshot the in-memory main holds, and the changes it can make to it. */
class FileModel {
  current: Result<ConfigSnapshot>;
  readonly #onPublish: (snapshot: ConfigSnapshot) => void;
  readonly #preservedTexts: string[];
  readonly #history: { entry: HistoryEntry; snapshot: ConfigSnapshot }[] = [];
  readonly #deleted = new Map<string, { profile: ProfileSummary; index: number }>();

  constructor(
    initial: Result<ConfigSnapshot>,
    preservedTexts: string[],
    onPublish: (snapshot: ConfigSnapshot) => void,
  ) {
    this.current = initial;
    this.#preservedTexts = [...preservedTexts];
    this.#onPublish = onPublish;
  }

  get #snapshot(): ConfigSnapshot {
    if (!this.current.ok) {
      throw new Error('the in-memory file could not be read, so it cannot change');
    }
    return this.current.value;
  }

  get #profiles(): ProfileSummary[] {
    return this.#snapshot.profiles;
  }

  publish(snapshot: ConfigSnapshot): void {
    this.current = ok(snapshot);
    this.#onPublish(snapshot);
  }

  create(request: CallRequest<'createProfile'>): Result<ProfileWriteReceipt> {
    const taken = this.#refuseTaken(request.name, request.replace);
    if (taken !== null) {
      return taken;
    }
    const profile = withChanges(blankProfile(request.name), request.fields);
    const others = this.#profiles.filter(({ name }) => name !== request.name);

    return this.#write([...others, profile], `Created profile '${request.name}'`);
  }

  update(request: CallRequest<'updateProfile'>): Result<ProfileWriteReceipt> {
    const profile = this.#find(request.name);
    if (profile === undefined) {
      return notFound(request.name);
    }
    const changed = Object.keys(request.fields).join(' and ');

    return this.#write(
      this.#profiles.map((each) =>
        each === profile ? withChanges(profile, request.fields) : each,
      ),
      `Changed ${changed} of profile '${request.name}'`,
    );
  }

  rename(request: CallRequest<'renameProfile'>): Result<ProfileWriteReceipt> {
    const profile = this.#find(request.name);
    if (profile === undefined) {
      return notFound(request.name);
    }
    const taken = this.#refuseTaken(request.newName, request.replace);
    if (taken !== null) {
      return taken;
    }
    const renamed = this.#profiles
      .filter(({ name }) => name !== request.newName)
      .map((each) => (each === profile ? { ...profile, name: request.newName } : each));

    return this.#write(
      renamed,
      `Renamed profile '${request.name}' to '${request.newName}'`,
    );
  }

  duplicate(request: CallRequest<'duplicateProfile'>): Result<ProfileWriteReceipt> {
    const profile = this.#find(request.name);
    if (profile === undefined) {
      return notFound(request.name);
    }
    const taken = this.#refuseTaken(request.newName, request.replace);
    if (taken !== null) {
      return taken;
    }
    const others = this.#profiles.filter(({ name }) => name !== request.newName);

    return this.#write(
      [...others, { ...profile, name: request.newName }],
      `Copied profile '${request.name}' to '${request.newName}'`,
    );
  }

  delete(name: string): Result<CallResponse<'deleteProfile'>> {
    const index = this.#profiles.findIndex((profile) => profile.name === name);
    const profile = this.#profiles[index];
    if (profile === undefined) {
      return notFound(name);
    }
    const written = this.#write(
      this.#profiles.filter((each) => each !== profile),
      `Deleted profile '${name}'`,
    );
    if (!written.ok) {
      return written;
    }
    const undoId = `00000000-0000-4000-8000-${String(this.#deleted.size + 1).padStart(12, '0')}`;
    this.#deleted.set(undoId, { profile, index });
    const undoableUntil = this.#snapshot.readAt + 60_000;

    return ok({ ...written.value, undo: { undoId, profile: name, undoableUntil } });
  }

  undoDelete(undoId: string): Result<ProfileWriteReceipt> {
    const deleted = this.#deleted.get(undoId);
    if (deleted === undefined) {
      return fail('not-found', 'It is too late to undo that deletion.');
    }
    this.#deleted.delete(undoId);
    const profiles = [...this.#profiles];
    profiles.splice(deleted.index, 0, deleted.profile);

    return this.#write(profiles, `Put profile '${deleted.profile.name}' back`);
  }

  preservedBlock(index: number): Result<CallResponse<'getPreservedBlock'>> {
    const text = this.#preservedTexts[index];
    return text === undefined
      ? fail('not-found', 'That block is no longer in the file.')
      : ok({ index, text, fingerprint: fingerprintOf(index) });
  }

  deletePreservedBlock(index: number): Result<ProfileWriteReceipt> {
    const blocks = this.#snapshot.preservedBlocks;
    if (blocks[index] === undefined) {
      return fail('not-found', 'That block is no longer in the file.');
    }
    this.#preservedTexts.splice(index, 1);

    return this.#write(
      this.#profiles,
      'Deleted a block Doover’s tools do not read',
      blocks.filter((_, position) => position !== index),
    );
  }

  repair(request: CallRequest<'repairExpiry'>): Result<ProfileWriteReceipt> {
    const profile = this.#find(request.name);
    if (profile === undefined) {
      return notFound(request.name);
    }
    const seconds = request.repair === 'from-token' ? profile.expiresAt : null;
    const repaired: ProfileSummary = {
      ...withChanges(profile, { TOKEN_EXPIRES: seconds }),
      problems: profile.problems.filter(({ key }) => key !== 'TOKEN_EXPIRES'),
    };

    return this.#write(
      this.#profiles.map((each) => (each === profile ? repaired : each)),
      `Repaired TOKEN_EXPIRES of profile '${request.name}'`,
      undefined,
      { pydooverError: null },
    );
  }

  historyEntries(): HistoryEntry[] {
    return this.#history.map(({ entry }) => entry);
  }

  restore(id: string): Result<ProfileWriteReceipt> {
    const kept = this.#history.find(({ entry }) => entry.id === id);
    if (kept === undefined) {
      return fail('not-found', 'That version is no longer kept.');
    }

    return this.#write(
      kept.snapshot.profiles,
      `Restored the file as it was on ${new Date(kept.entry.replacedAt).toDateString()}`,
      kept.snapshot.preservedBlocks,
    );
  }

  #find(name: string): ProfileSummary | undefined {
    return this.#profiles.find((profile) => profile.name === name);
  }

  #refuseTaken(name: string, replace: boolean | undefined): Result<never> | null {
    return replace !== true && this.#find(name) !== undefined
      ? fail(
          'conflict',
          `A profile named '${name}' already exists. Replace it, or choose another name.`,
        )
      : null;
  }

  /** Replaces the file's content, keeping the version it replaced, and tells subscribers. */
  #write(
    profiles: ProfileSummary[],
    description: string,
    preservedBlocks = this.#snapshot.preservedBlocks,
    extra: Partial<ConfigSnapshot> = {},
  ): Result<ProfileWriteReceipt> {
    const before = this.#snapshot;
    const readAt = before.readAt + 1;
    this.#history.unshift({
      entry: {
        id: `${String(readAt).padStart(15, '0')}-${String(this.#history.length).padStart(8, '0')}`,
        replacedAt: readAt,
        replacedBy: description,
        profileNames: before.profiles.map(({ name }) => name),
        bytes: 100 * before.profiles.length,
      },
      snapshot: before,
    });
    const snapshot = {
      ...before,
      file: { status: 'ok' as const },
      profiles,
      preservedBlocks,
      readAt,
      ...extra,
    };
    this.publish(snapshot);

    return ok({ description, snapshot });
  }
}

function notFound(name: string): Result<never> {
  return fail('not-found', `There is no profile named '${name}' in the file.`);
}

function fingerprintOf(index: number): string {
  return index.toString(16).padStart(64, '0');
}

function blankProfile(name: string): ProfileSummary {
  return makeProfile({
    name,
    tokenExpires: null,
    expiresAt: null,
    expirySource: null,
    baseUrl: null,
    dataBaseUrl: null,
    authServerUrl: null,
    authServerClientId: null,
    refreshTokenId: null,
    hasToken: false,
    hasRefreshToken: false,
    maskedToken: null,
    maskedRefreshToken: null,
  });
}

/** The summary a profile would have after these field changes were written. */
function withChanges(
  profile: ProfileSummary,
  fields: ProfileFieldChanges,
): ProfileSummary {
  const text = (value: string | undefined, current: string | null) =>
    value === undefined ? current : value === '' ? null : value;
  const next: ProfileSummary = {
    ...profile,
    agentId: text(fields.AGENT_ID, profile.agentId),
    baseUrl: text(fields.BASE_URL, profile.baseUrl),
    dataBaseUrl: text(fields.BASE_DATA_URL, profile.dataBaseUrl),
    authServerUrl: text(fields.AUTH_SERVER_URL, profile.authServerUrl),
    authServerClientId: text(fields.AUTH_SERVER_CLIENT_ID, profile.authServerClientId),
    refreshTokenId: text(fields.REFRESH_TOKEN_ID, profile.refreshTokenId),
    maskedToken: fields.TOKEN === undefined ? profile.maskedToken : masked(fields.TOKEN),
    maskedRefreshToken:
      fields.REFRESH_TOKEN === undefined
        ? profile.maskedRefreshToken
        : masked(fields.REFRESH_TOKEN),
  };
  next.hasToken = next.maskedToken !== null;
  next.hasRefreshToken = next.maskedRefreshToken !== null;
  if (fields.TOKEN_EXPIRES !== undefined) {
    next.tokenExpires = fields.TOKEN_EXPIRES;
    next.unreadableTokenExpires = null;
    next.expiresAt = fields.TOKEN_EXPIRES;
    next.expirySource = fields.TOKEN_EXPIRES === null ? null : 'file';
  }
  next.environment = environmentOf(next);

  return next;
}

function masked(secret: string): string | null {
  return secret === '' ? null : `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}
