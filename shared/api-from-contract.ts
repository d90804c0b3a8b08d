import {
  callNames,
  calls,
  eventNames,
  events,
  type DooverApi,
  type Unsubscribe,
} from './contract.js';
import type { Result } from './result.js';

/** How a shell moves calls and events; the API's shape comes from the contract alone. */
export interface ApiTransport {
  call(channel: string, request: unknown): Promise<Result<unknown>>;
  subscribe(channel: string, listener: (payload: unknown) => void): Unsubscribe;
}

/**
 * The renderer's API: one named method per call and one `onX` per event, each
 * bound to its contract channel. Both the Electron preload and the browser-mode
 * HTTP bridge are built here, so neither can expose a channel the contract lacks.
 */
export function buildDooverApi(transport: ApiTransport): DooverApi {
  const api: Record<string, unknown> = {};
  for (const name of callNames) {
    const { channel } = calls[name];
    api[name] = (request: unknown) => transport.call(channel, request);
  }
  for (const name of eventNames) {
    const { channel } = events[name];
    api[name] = (listener: (payload: unknown) => void) =>
      transport.subscribe(channel, listener);
  }

  return api as DooverApi;
}
