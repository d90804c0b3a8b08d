import type {
  CallHandlers,
  EventName,
  EventPayload,
  Unsubscribe,
} from '../../shared/contract.js';
import { ok } from '../../shared/result.js';
import { profilesFilePath } from './app-paths.js';
import { HistoryStore } from './history/history-store.js';
import { scopedLogger, type Logger } from './logger.js';
import { ProfileEditor } from './profiles/profile-editor.js';
import { ProfilesService } from './profiles/profiles-service.js';

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
    listHistory: () => editor.listHistory(),
    restoreHistory: ({ id }) => editor.restoreVersion(id),
  };
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
  const editor = new ProfileEditor({
    path: profilesFilePath(options.homeDir),
    clock,
    log: scopedLogger(options.log, 'profiles/edit'),
    history: new HistoryStore({
      dataDir: options.dataDir,
      log: scopedLogger(options.log, 'history'),
    }),
    profiles,
  });

  const handlers: CallHandlers = {
    getSnapshot: async () => ok(profiles.snapshot),
    revealSecret: async ({ profile, field }) => profiles.revealSecret(profile, field),
    ...editingHandlers(editor),
  };

  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start: () => profiles.start(),
    stop: () => profiles.stop(),
  };
}
