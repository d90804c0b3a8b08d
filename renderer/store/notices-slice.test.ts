import { describe, expect, it } from 'vitest';
import { TEST_NOW_MS } from '../testing/sample-snapshot';
import { createAppStore } from './app-store';
import { DONE_NOTICE_MS, isCurrent, UNDO_NOTICE_MS } from './notices-slice';

const undo = { undoId: 'u-1', profile: 'default', undoableUntil: TEST_NOW_MS + 60_000 };

describe('notices', () => {
  it('show what the app did for a few seconds, by the shared clock', () => {
    const store = createAppStore(TEST_NOW_MS);

    store.getState().noteDone("Created profile 'ops'");
    const [notice] = store.getState().notices;

    expect(
      notice !== undefined && isCurrent(notice, TEST_NOW_MS + DONE_NOTICE_MS - 1),
    ).toBe(true);
    expect(notice !== undefined && isCurrent(notice, TEST_NOW_MS + DONE_NOTICE_MS)).toBe(
      false,
    );
  });

  it('offer Undo no longer than main allows it', () => {
    const store = createAppStore(TEST_NOW_MS);

    store.getState().noteUndoable('Deleted', undo);
    store
      .getState()
      .noteUndoable('Deleted', { ...undo, undoableUntil: TEST_NOW_MS + 3_000 });

    expect(
      store.getState().notices.map((notice) => 'until' in notice && notice.until),
    ).toEqual([TEST_NOW_MS + UNDO_NOTICE_MS, TEST_NOW_MS + 3_000]);
  });

  it('drop notes whose time is up when a new one arrives', () => {
    const store = createAppStore(TEST_NOW_MS);
    store.getState().noteDone('first');

    store.getState().setNow(TEST_NOW_MS + DONE_NOTICE_MS);
    store.getState().noteDone('second');

    expect(store.getState().notices.map((notice) => notice.message)).toEqual(['second']);
  });

  it('keep the latest twenty changes by other programs until dismissed', () => {
    const store = createAppStore(TEST_NOW_MS);
    const changes = Array.from({ length: 25 }, (_, index) => ({
      profile: null,
      message: `change ${index}`,
      at: TEST_NOW_MS,
    }));

    store.getState().receiveFileChanges(changes);
    store.getState().noteDone('kept');

    const messages = store.getState().notices.map((notice) => notice.message);
    expect(messages).toHaveLength(21);
    expect(messages[0]).toBe('change 5');

    store.getState().dismissFileChanges();
    expect(store.getState().notices.map((notice) => notice.message)).toEqual(['kept']);
  });

  it('tell the same news once, as the latest', () => {
    const store = createAppStore(TEST_NOW_MS);
    const change = (message: string) => ({
      profile: 'default',
      message,
      at: TEST_NOW_MS,
    });

    store.getState().receiveFileChanges([change('renewed'), change('other')]);
    store.getState().receiveFileChanges([change('renewed'), change('renewed')]);

    expect(store.getState().notices.map((notice) => notice.message)).toEqual([
      'other',
      'renewed',
    ]);
  });
});
