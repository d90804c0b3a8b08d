import type { ServerResponse } from 'node:http';
import { events } from '../../shared/contract.js';
import type { AppServices } from '../core/app-services.js';

/** Fans service events out to every connected page as server-sent events. */
export interface EventBroadcaster {
  /** Turns a response into an event stream; it ends when the page disconnects. */
  open(response: ServerResponse): void;
  /** Ends every stream and stops listening to the services. */
  close(): void;
}

/**
 * Each event goes out as `event: <channel>` with a one-line JSON `data:`. A
 * comment is sent on connect (so the page knows the stream is up) and every
 * `heartbeatMs` (so idle connections stay open and dead ones are noticed).
 *
 * A page that connects late or reconnects first receives the latest payload
 * of every 'state' event (the whole snapshot, for instance), so it cannot miss
 * a change made while its stream was down. 'news' events are never replayed:
 * a page opened later must not hear of an old change as if it were new.
 */
export function createEventBroadcaster(
  services: Pick<AppServices, 'onEvent'>,
  heartbeatMs: number,
): EventBroadcaster {
  const streams = new Set<ServerResponse>();
  const latestFrames = new Map<string, string>();
  const stopEvents = services.onEvent((name, payload) => {
    const { channel, kind } = events[name];
    const frame = `event: ${channel}\ndata: ${JSON.stringify(payload)}\n\n`;
    if (kind === 'state') {
      latestFrames.set(channel, frame);
    }
    streams.forEach((stream) => stream.write(frame));
  });
  const heartbeat = setInterval(() => {
    streams.forEach((stream) => stream.write(': heartbeat\n\n'));
  }, heartbeatMs);
  heartbeat.unref();

  return {
    open(response) {
      startStream(response, latestFrames.values());
      streams.add(response);
      response.on('close', () => streams.delete(response));
    },
    close() {
      clearInterval(heartbeat);
      stopEvents();
      streams.forEach((stream) => stream.end());
      streams.clear();
    },
  };
}

function startStream(response: ServerResponse, replay: Iterable<string>): void {
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'keep-alive',
  });
  response.write(': connected\n\n');
  for (const frame of replay) {
    response.write(frame);
  }
}
