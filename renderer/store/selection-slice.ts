import type { AppSliceCreator } from './app-store';

/** Which profile the detail pane shows, by name. */
export interface SelectionSlice {
  selectedName: string | null;
  selectProfile: (name: string | null) => void;
}

export const createSelectionSlice: AppSliceCreator<SelectionSlice> = (set) => ({
  selectedName: null,
  selectProfile: (name) => set({ selectedName: name }),
});
