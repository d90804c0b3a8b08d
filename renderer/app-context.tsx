import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { DooverApi } from '../shared/contract';
import type { AppState, AppStore } from './store/app-store';

const StoreContext = createContext<AppStore | null>(null);
const ApiContext = createContext<DooverApi | null>(null);

/** Gives components the store and the API; tests pass their own of each. */
export function AppProviders(props: {
  api: DooverApi;
  store: AppStore;
  children: ReactNode;
}) {
  return (
    <ApiContext value={props.api}>
      <StoreContext value={props.store}>{props.children}</StoreContext>
    </ApiContext>
  );
}

/** Reads one value from the store; the component re-renders only when it changes. */
export function useAppStore<Selected>(selector: (state: AppState) => Selected): Selected {
  return useStore(useAppStoreApi(), selector);
}

/** The store itself, for code that hands it on (such as a reload) rather than reading it. */
export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (store === null) {
    throw new Error('The app store is used outside AppProviders');
  }

  return store;
}

/** The main-process API (preload in Electron, HTTP in browser mode). */
export function useApi(): DooverApi {
  const api = useContext(ApiContext);
  if (api === null) {
    throw new Error('useApi is used outside AppProviders');
  }

  return api;
}
