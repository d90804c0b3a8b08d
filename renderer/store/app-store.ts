import { createStore, type StateCreator } from 'zustand/vanilla';
import { createClockSlice, type ClockSlice } from './clock-slice';
import { createHistorySlice, type HistorySlice } from './history-slice';
import { createNoticesSlice, type NoticesSlice } from './notices-slice';
import { createSearchSlice, type SearchSlice } from './search-slice';
import { createSelectionSlice, type SelectionSlice } from './selection-slice';
import { createSnapshotSlice, type SnapshotSlice } from './snapshot-slice';
import { createTokensSlice, type TokensSlice } from './tokens-slice';
import { createViewSlice, type ViewSlice } from './view-slice';

/** The whole renderer state: one store made of typed slices. */
export type AppState = SnapshotSlice &
  SelectionSlice &
  SearchSlice &
  ClockSlice &
  ViewSlice &
  NoticesSlice &
  HistorySlice &
  TokensSlice;

/** A slice creator that may read and set the whole state. */
export type AppSliceCreator<Slice> = StateCreator<AppState, [], [], Slice>;

/** Creates the renderer's store; plain zustand/vanilla, so tests need no React. */
export function createAppStore(initialNow: number = Date.now()) {
  return createStore<AppState>()((...args) => ({
    ...createSnapshotSlice(...args),
    ...createSelectionSlice(...args),
    ...createSearchSlice(...args),
    ...createClockSlice(initialNow)(...args),
    ...createViewSlice(...args),
    ...createNoticesSlice(...args),
    ...createHistorySlice(...args),
    ...createTokensSlice(...args),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;
