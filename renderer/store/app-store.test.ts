import { describe, expect, it } from 'vitest';
import { fail } from '../../shared/result';
import { createInMemoryApi } from '../testing/in-memory-api';
import { makeProfile, makeSnapshot, TEST_NOW_MS } from '../testing/sample-snapshot';
import { createAppStore } from './app-store';
import { startClock, type ClockTimers } from './clock';
import { connectStoreToApi } from './connect-api';
import { selectSelectedProfile } from './selectors';

const two = makeSnapshot([makeProfile({ name: 'a' }), makeProfile({ name: 'b' })]);

/** Timers driven by hand: `fire()` runs the interval once at the given time. */
function manualTimers(startMs: number) {
  let nowMs = startMs;
  const ticks = new Map<number, () => void>();
  const timers: ClockTimers = {
    now: () => nowMs,
    setInterval: (tick) => {
      ticks.set(ticks.size + 1, tick);
      return ticks.size;
    },
    clearInterval: (id) => ticks.delete(id),
  };

  return {
    timers,
    ticks,
    fire: (atMs: number) => {
      nowMs = atMs;
      ticks.forEach((tick) => tick());
    },
  };
}

describe('app store', () => {
  it('selects the first profile of the first snapshot', () => {
    const store = createAppStore(TEST_NOW_MS);

    store.getState().receiveSnapshot(two);

    expect(store.getState().selectedName).toBe('a');
    expect(selectSelectedProfile(store.getState())?.name).toBe('a');
  });

  it('keeps the selection while its profile exists, else falls back to the first', () => {
    const store = createAppStore(TEST_NOW_MS);
    store.getState().receiveSnapshot(two);
    store.getState().selectProfile('b');

    store.getState().receiveSnapshot({ ...two, readAt: TEST_NOW_MS + 1 });
    expect(store.getState().selectedName).toBe('b');

    const withoutB = makeSnapshot([makeProfile({ name: 'a' })], {
      readAt: TEST_NOW_MS + 2,
    });
    store.getState().receiveSnapshot(withoutB);
    expect(store.getState().selectedName).toBe('a');
  });

  it('ignores a snapshot older than the one it has', () => {
    const store = createAppStore(TEST_NOW_MS);
    const newer = makeSnapshot([makeProfile({ name: 'new' })], {
      readAt: TEST_NOW_MS + 5,
    });
    store.getState().receiveSnapshot(newer);

    store.getState().receiveSnapshot(two);

    expect(store.getState().snapshot).toBe(newer);
  });

  it('clears a load error when a snapshot arrives', () => {
    const store = createAppStore(TEST_NOW_MS);
    store.getState().receiveLoadError({ code: 'internal', message: 'down' });

    store.getState().receiveSnapshot(two);

    expect(store.getState().loadError).toBeNull();
  });
});

describe('startClock', () => {
  it('sets now at once and on every tick of its single interval, until stopped', () => {
    const store = createAppStore(0);
    const clock = manualTimers(TEST_NOW_MS);

    const stop = startClock(store, clock.timers);
    expect(store.getState().now).toBe(TEST_NOW_MS);
    expect(clock.ticks.size).toBe(1);

    clock.fire(TEST_NOW_MS + 1000);
    expect(store.getState().now).toBe(TEST_NOW_MS + 1000);

    stop();
    expect(clock.ticks.size).toBe(0);
  });
});

describe('connectStoreToApi', () => {
  it('loads the current snapshot, follows pushes, and lets go on unsubscribe', async () => {
    const store = createAppStore(TEST_NOW_MS);
    const backend = createInMemoryApi({ ok: true, value: two });

    const unsubscribe = connectStoreToApi(backend.api, store);
    await expect.poll(() => store.getState().snapshot).toBe(two);

    const pushed = makeSnapshot([makeProfile({ name: 'c' })], {
      readAt: TEST_NOW_MS + 1,
    });
    backend.push(pushed);
    expect(store.getState().snapshot).toBe(pushed);

    unsubscribe();
    expect(backend.subscriberCount()).toBe(0);
  });

  it('records the error when the snapshot cannot be loaded', async () => {
    const store = createAppStore(TEST_NOW_MS);
    const backend = createInMemoryApi(fail('file-unreadable', 'Cannot read.'));

    connectStoreToApi(backend.api, store);

    await expect.poll(() => store.getState().loadError?.code).toBe('file-unreadable');
  });

  it('turns a broken bridge into an error the user can read', async () => {
    const store = createAppStore(TEST_NOW_MS);
    const backend = createInMemoryApi({ ok: true, value: two });
    backend.api.getSnapshot = () => Promise.reject(new Error('channel closed'));

    connectStoreToApi(backend.api, store);

    await expect.poll(() => store.getState().loadError?.code).toBe('internal');
    expect(store.getState().loadError?.message).toMatch(/background process/);
  });
});
