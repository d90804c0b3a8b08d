import type { FileChange, UndoableDeletion } from '../../shared/profile-types';
import type { AppSliceCreator } from './app-store';

/** How long a note about the app's own change stays on screen, in milliseconds. */
export const DONE_NOTICE_MS = 8_000;
/** How long the Undo of a deletion is offered, unless main allows less. */
export const UNDO_NOTICE_MS = 10_000;
// Changes by other programs stay until dismissed; only the latest few are kept.
const KEPT_FILE_CHANGES = 20;

/** A short note in the notifications area. */
export type Notice =
  | { id: number; kind: 'done'; message: string; until: number }
  | { id: number; kind: 'undo'; message: string; until: number; undo: UndoableDeletion }
  | { id: number; kind: 'file-change'; message: string; at: number };

export interface NoticesSlice {
  notices: Notice[];
  /** Says what the app just did to the file, for a few seconds. */
  noteDone: (message: string) => void;
  /** Offers to take a deletion back, for a few seconds. */
  noteUndoable: (message: string, undo: UndoableDeletion) => void;
  /** What another program changed in the file; kept until dismissed. */
  receiveFileChanges: (changes: FileChange[]) => void;
  dismissNotice: (id: number) => void;
  dismissFileChanges: () => void;
}

let nextId = 1;

export const createNoticesSlice: AppSliceCreator<NoticesSlice> = (set, get) => {
  // Notes whose time is up are dropped whenever a new one arrives.
  const add = (notice: Notice) =>
    set((state) => ({ notices: [...current(state.notices, get().now), notice] }));

  return {
    notices: [],
    noteDone: (message) =>
      add({ id: nextId++, kind: 'done', message, until: get().now + DONE_NOTICE_MS }),
    noteUndoable: (message, undo) =>
      add({
        id: nextId++,
        kind: 'undo',
        message,
        undo,
        until: Math.min(get().now + UNDO_NOTICE_MS, undo.undoableUntil),
      }),
    receiveFileChanges: (changes) =>
      set((state) => {
        const added = changes.map((change): Notice => ({
          id: nextId++,
          kind: 'file-change',
          message: change.message,
          at: change.at,
        }));
        // The same news again (a writer seen half-way, then done) moves to the end once.
        const news = new Set(added.map((notice) => notice.message));
        const kept = state.notices.filter(
          (notice) => notice.kind !== 'file-change' || !news.has(notice.message),
        );
        const unique = added.filter(
          (notice, index) =>
            added.findIndex((other) => other.message === notice.message) === index,
        );
        return { notices: keepLatestFileChanges([...kept, ...unique]) };
      }),
    dismissNotice: (id) =>
      set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) })),
    dismissFileChanges: () =>
      set((state) => ({
        notices: state.notices.filter((notice) => notice.kind !== 'file-change'),
      })),
  };
};

/** Whether a notice is still to be shown at `now`. */
export function isCurrent(notice: Notice, now: number): boolean {
  return notice.kind === 'file-change' || notice.until > now;
}

function current(notices: Notice[], now: number): Notice[] {
  return notices.filter((notice) => isCurrent(notice, now));
}

function keepLatestFileChanges(notices: Notice[]): Notice[] {
  const fileChanges = notices.filter((notice) => notice.kind === 'file-change');
  const surplus = new Set<Notice>(
    fileChanges.slice(0, Math.max(0, fileChanges.length - KEPT_FILE_CHANGES)),
  );
  return notices.filter((notice) => !surplus.has(notice));
}
