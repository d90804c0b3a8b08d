import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildDooverApi } from '../shared/api-from-contract.js';
import { fail, type Result } from '../shared/result.js';

/**
 * The page's only door to the main process: `window.doover`, one named method
 * per contract call and one `onX` per event. No generic invoke is exposed, so
 * the page cannot reach a channel the contract does not list.
 */
const api = buildDooverApi({
  call: (channel, request) =>
    (ipcRenderer.invoke(channel, request) as Promise<Result<unknown>>).catch(() =>
      fail('internal', 'The app did not answer. Restarting it may help.'),
    ),
  subscribe(channel, listener) {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
});

contextBridge.exposeInMainWorld('doover', api);
