import type { AppSliceCreator } from './app-store';

/** The two screens of the window. */
export type AppView = 'profiles' | 'history';

export interface ViewSlice {
  view: AppView;
  showView: (view: AppView) => void;
}

export const createViewSlice: AppSliceCreator<ViewSlice> = (set) => ({
  view: 'profiles',
  showView: (view) => set({ view }),
});
