import type { HistoryEntry } from '../../shared/profile-types';
import type { AppError } from '../../shared/result';
import type { AppSliceCreator } from './app-store';

/** The versions of the file the app replaced, as last listed, or why they could not be. */
export interface HistorySlice {
  history: HistoryEntry[] | null;
  historyError: AppError | null;
  receiveHistory: (entries: HistoryEntry[]) => void;
  receiveHistoryError: (error: AppError) => void;
}

export const createHistorySlice: AppSliceCreator<HistorySlice> = (set) => ({
  history: null,
  historyError: null,
  receiveHistory: (entries) => set({ history: entries, historyError: null }),
  receiveHistoryError: (error) => set({ historyError: error }),
});
