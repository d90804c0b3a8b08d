import { networkInterfaces } from 'node:os';
import type {
  CallHandlers,
  EventName,
  EventPayload,
  Unsubscribe,
} from '../../shared/contract.js';
import { ok } from '../../shared/result.js';
import { profilesFilePath } from './app-paths.js';
import { HistoryStore } from './history/history-store.js';
import { RevertGuard } from './profiles-file/revert-guard.js';
import { scopedLogger, type Logger } from './logger.js';
import { ProfileEditor } from './profiles/profile-editor.js';
import { ProfilesService } from './profiles/profiles-service.js';
import type { FetchLike } from './auth/auth-http.js';
import { createKeychain, type Keychain } from './keychain/keychain.js';
import { systemTimers, type Timers } from './scheduler/deadline-queue.js';
import {
  watchNetworkChanges,
  type NetworkChangeOptions,
} from './scheduler/network-changes.js';
import type { ProfilePatch } from './profiles-file/patch.js';
import { PatchBatcher } from './profiles-file/patch-batcher.js';
import { createTokenServices } from './tokens/create-token-services.js';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface AppServicesOptions {
  /** The home folder whose `.doover/config` the app manages. */
  homeDir: string;
  /** The app's own data folder (settings, history, logs). */
  dataDir: string;
  log: Logger;
  clock?: Clock;
  /** The OS keychain; keytar's when omitted. */
  keychain?: Keychain;
  fetch?: FetchLike;
  timers?: Timers;
  /** This computer's name as sign-ins show it; the system's when omitted. */
  hostname?: string;
  /** How a network change is noticed; the system's interfaces every few seconds when omitted. */
  network?: Pick<NetworkChangeOptions, 'interfaces' | 'intervalMs'>;
}

export type EventListener = <Name extends EventName>(
  name: Name,
  payload: EventPayload<Name>,
) => void;

/** The main-process services, the same in the desktop app and in browser mode. */
export interface AppServices {
  handlers: CallHandlers;
  /** Events for the renderer; returns a function that stops listening. */
  onEvent(listener: EventListener): Unsubscribe;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** After sleep, screen unlock or a network change: renew every token that is due now. */
  wake(reason: string): void;
}

type EditingCalls =
  | 'createProfile'
  | 'updateProfile'
  | 'renameProfile'
  | 'duplicateProfile'
  | 'deleteProfile'
  | 'undoDeleteProfile'
  | 'getPreservedBlock'
  | 'deletePreservedBlock'
  | 'repairExpiry'
  | 'separateJoinedProfiles'
  | 'listHistory'
  | 'restoreHistory';

/** The calls that change the profiles file or take a change back. */
function editingHandlers(editor: ProfileEditor): Pick<CallHandlers, EditingCalls> {
  return {
    createProfile: ({ name, fields, replace }) =>
      editor.create(name, fields, replace === true),
    updateProfile: ({ name, fields }) => editor.update(name, fields),
    renameProfile: ({ name, newName, replace }) =>
      editor.rename(name, newName, replace === true),
    duplicateProfile: ({ name, newName, replace }) =>
      editor.duplicate(name, newName, replace === true),
    deleteProfile: ({ name }) => editor.delete(name),
    undoDeleteProfile: ({ undoId }) => editor.undoDelete(undoId),
    getPreservedBlock: ({ index }) => editor.preservedBlock(index),
    deletePreservedBlock: ({ index, fingerprint }) =>
      editor.deletePreservedBlock(index, fingerprint),
    repairExpiry: ({ name, repair }) => editor.repairExpiry(name, repair),
    separateJoinedProfiles: ({ name }) => editor.separateJoined(name),
    listHistory: () => editor.listHistory(),
    restoreHistory: ({ id }) => editor.restoreVersion(id),
  };
}

/** The notice for a save another program undid and the app applied again. */
function undoneWords(description: string): string {
  return `Another program wrote back an older copy of the profiles file, undoing “${description}”. The app applied that change again.`;
}

/** Builds the services and their call handlers; `start()` reads and watches the file. */
export function createAppServices(options: AppServicesOptions): AppServices {
  const clock = options.clock ?? systemClock;
  const listeners = new Set<EventListener>();
  const profiles = new ProfilesService({
    path: profilesFilePath(options.homeDir),
    clock,
    log: scopedLogger(options.log, 'profiles'),
  });
  profiles.onSnapshot((snapshot) => {
    for (const listener of listeners) {
      listener('onSnapshot', snapshot);
    }
  });
  profiles.onFileChanges((changes) => {
    for (const listener of listeners) {
      listener('onFileChanges', changes);
    }
  });
  const guard = new RevertGuard({
    path: profilesFilePath(options.homeDir),
    clock,
    log: scopedLogger(options.log, 'profiles/guard'),
    onReapplied: (description) => {
      const change = {
        profile: null,
        message: undoneWords(description),
        at: clock.now(),
      };
      for (const listener of listeners) {
        listener('onFileChanges', [change]);
      }
    },
  });
  const history = new HistoryStore({
    dataDir: options.dataDir,
    log: scopedLogger(options.log, 'history'),
  });
  const editor = new ProfileEditor({
    path: profilesFilePath(options.homeDir),
    clock,
    log: scopedLogger(options.log, 'profiles/edit'),
    history,
    guard,
    profiles,
  });

  const tokenServices = createTokenServices({
    profilesPath: profilesFilePath(options.homeDir),
    dataDir: options.dataDir,
    homeDir: options.homeDir,
    keychain:
      options.keychain ?? createKeychain({ log: scopedLogger(options.log, 'keychain') }),
    clock,
    fetch: options.fetch ?? fetch,
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    ...(options.hostname === undefined ? {} : { hostname: options.hostname }),
    write: (patch) => writeTokens(patch),
    reload: () => profiles.reload(),
    snapshot: () => profiles.snapshot,
    emit: (name, payload) => listeners.forEach((listener) => listener(name, payload)),
    log: options.log,
  });
  profiles.onSnapshot((snapshot) => tokenServices.onSnapshot(snapshot));

  /** Token writes are not kept in history: a renewal every few minutes would crowd it out. */
  const tokenWrites = new PatchBatcher(profilesFilePath(options.homeDir), {
    clock,
    log: scopedLogger(options.log, 'profiles/tokens'),
    guard,
    onWillWrite: (text) => profiles.noteOwnWrite(text),
  });
  let nextReload: Promise<unknown> | null = null;
  /** One reread for every save that lands in the same write; it starts after them all. */
  function reloadAfterWrite(): Promise<unknown> {
    nextReload ??= Promise.resolve().then(() => {
      nextReload = null;
      return profiles.reload();
    });
    return nextReload;
  }
  async function writeTokens(patch: ProfilePatch) {
    const written = await tokenWrites.submit(patch);
    if (written.ok) await reloadAfterWrite();
    return written;
  }

  const handlers: CallHandlers = {
    getSnapshot: async () => ok(profiles.snapshot),
    revealSecret: async ({ profile, field }) => profiles.revealSecret(profile, field),
    ...editingHandlers(editor),
    ...tokenServices.handlers,
    ...tokenServices.followEdits(editingHandlers(editor)),
  };

  let stopWatchingNetwork = () => {};

  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      await profiles.start();
      await tokenServices.start();
      stopWatchingNetwork = watchNetworkChanges({
        interfaces: networkInterfaces,
        timers: options.timers ?? systemTimers,
        ...options.network,
        onChange: () => tokenServices.wake('the network changed'),
      });
    },
    async stop() {
      stopWatchingNetwork();
      await tokenServices.stop();
      await guard.stop();
      await profiles.stop();
      await history.settled();
    },
    wake: (reason) => tokenServices.wake(reason),
  };
}
