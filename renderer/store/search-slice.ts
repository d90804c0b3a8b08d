import type { AppSliceCreator } from './app-store';

/** What the user typed into the search box. */
export interface SearchSlice {
  query: string;
  setQuery: (query: string) => void;
}

export const createSearchSlice: AppSliceCreator<SearchSlice> = (set) => ({
  query: '',
  setQuery: (query) => set({ query }),
});
