import { createStore, type StateCreator } from 'zustand/vanilla';
import { createClockSlice, type ClockSlice } from './clock-slice';
import { createSearchSlice, type SearchSlice } from './search-slice';
import { createSelectionSlice, type SelectionSlice } from './selection-slice';
import { createSnapshotSlice, type SnapshotSlice } from './snapshot-slice';

/** The whole renderer state: one store made of typed slices. */
export type AppState = SnapshotSlice & SelectionSlice & SearchSlice & ClockSlice;

/** A slice creator that may read and set the whole state. */
export type AppSliceCreator<Slice> = StateCreator<AppState, [], [], Slice>;

/** Creates the renderer's store; plain zustand/vanilla, so tests need no React. */
export function createAppStore(initialNow: number = Date.now()) {
  return createStore<AppState>()((...args) => ({
    ...createSnapshotSlice(...args),
    ...createSelectionSlice(...args),
    ...createSearchSlice(...args),
    ...createClockSlice(initialNow)(...args),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;
