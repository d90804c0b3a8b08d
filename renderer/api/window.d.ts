import type { DooverApi } from '../../shared/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode, which uses the HTTP bridge. */
    doover?: DooverApi;
  }
}

export {};
