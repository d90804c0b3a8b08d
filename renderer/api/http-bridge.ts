import { buildDooverApi } from '../../shared/api-from-contract';
import type { DooverApi, Unsubscribe } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';

export interface HttpBridgeOptions {
  /** Defaults to the page's own fetch. */
  fetch?: typeof fetch;
  /** First wait before reconnecting the event stream; it doubles up to `maxRetryMs`. */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

type Listener = (payload: unknown) => void;

const unreachable =
  'The app is not answering. Check that `npm run start:browser` is still running.';
const notConnected =
  'This page is not connected to the app. Open the address that `npm run start:browser` printed.';

/**
 * The renderer API over loopback HTTP, for browser mode: calls are POSTed to
 * `/api/call/<channel>`, events read from one server-sent event stream shared
 * by every listener. Every request carries the launch secret as a bearer token.
 */
export function createHttpBridge(
  secret: string,
  baseUrl: string,
  options: HttpBridgeOptions = {},
): DooverApi {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const authorization = `Bearer ${secret}`;
  const stream = createEventStreamClient({
    fetchImpl,
    url: new URL('/api/events', baseUrl).href,
    authorization,
    firstRetryMs: options.firstRetryMs ?? 500,
    maxRetryMs: options.maxRetryMs ?? 15_000,
  });

  return buildDooverApi({
    call: (channel, request) =>
      postCall(
        fetchImpl,
        new URL(`/api/call/${encodeURIComponent(channel)}`, baseUrl).href,
        {
          authorization,
          request,
        },
      ),
    subscribe: stream.subscribe,
  });
}

async function postCall(
  fetchImpl: typeof fetch,
  url: string,
  call: { authorization: string; request: unknown },
): Promise<Result<unknown>> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { Authorization: call.authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify(call.request),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    return fail('network', unreachable);
  }

  if (response.status === 403) {
    return fail('bad-request', notConnected);
  }
  const body: unknown = await response.json().catch(() => undefined);
  return isResult(body)
    ? body
    : fail('internal', 'The app sent an answer this page cannot read.');
}

function isResult(value: unknown): value is Result<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { ok?: unknown }).ok === 'boolean'
  );
}

interface EventStreamSettings {
  fetchImpl: typeof fetch;
  url: string;
  authorization: string;
  firstRetryMs: number;
  maxRetryMs: number;
}

/**
 * One event stream for all listeners, open while any listener is. It is read
 * with fetch because EventSource cannot send an Authorization header, and it
 * reconnects after a drop, waiting longer after each failure in a row. A 403
 * means the server no longer knows this page's secret (it was restarted), so
 * retrying is pointless and the stream stays closed.
 */
function createEventStreamClient(settings: EventStreamSettings) {
  const listeners = new Map<string, Set<Listener>>();
  let connection: AbortController | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryMs = settings.firstRetryMs;

  const listenerCount = () =>
    [...listeners.values()].reduce((sum, set) => sum + set.size, 0);

  function deliver(channel: string, data: string): void {
    const payload: unknown = JSON.parse(data);
    for (const listener of listeners.get(channel) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        console.error('An event listener failed', error);
      }
    }
  }

  async function connect(): Promise<void> {
    const controller = new AbortController();
    connection = controller;
    const outcome = await readStream(settings, controller.signal, deliver, () => {
      retryMs = settings.firstRetryMs;
    });
    if (controller.signal.aborted || outcome === 'refused') {
      return;
    }

    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, settings.maxRetryMs);
  }

  function disconnect(): void {
    connection?.abort();
    connection = undefined;
    clearTimeout(retryTimer);
    retryTimer = undefined;
  }

  function subscribe(channel: string, listener: Listener): Unsubscribe {
    const set = listeners.get(channel) ?? new Set();
    listeners.set(channel, set);
    set.add(listener);
    if (connection === undefined) {
      void connect();
    }

    return () => {
      set.delete(listener);
      if (listenerCount() === 0) disconnect();
    };
  }

  return { subscribe };
}

/** Reads one connection until it ends; says whether the server refused it. */
async function readStream(
  settings: EventStreamSettings,
  signal: AbortSignal,
  onEvent: (channel: string, data: string) => void,
  onConnected: () => void,
): Promise<'ended' | 'refused'> {
  try {
    const response = await settings.fetchImpl(settings.url, {
      headers: { Authorization: settings.authorization, Accept: 'text/event-stream' },
      cache: 'no-store',
      credentials: 'omit',
      signal,
    });
    if (response.status === 403) return 'refused';
    if (!response.ok || response.body === null) return 'ended';

    onConnected();
    const parse = createEventParser(onEvent);
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      parse(decoder.decode(read.value, { stream: true }));
    }
  } catch {
    // A dropped connection or a malformed event: reconnecting starts clean.
  }
  return 'ended';
}

/**
 * A server-sent event parser for text arriving in arbitrary pieces: `event:`
 * names the event, `data:` lines are joined with newlines, a blank line
 * dispatches, lines starting with `:` are comments (the heartbeat).
 */
export function createEventParser(
  onEvent: (name: string, data: string) => void,
): (text: string) => void {
  let buffer = '';
  let name = '';
  let data: string[] = [];

  const handleLine = (line: string) => {
    if (line === '') {
      if (data.length > 0) onEvent(name || 'message', data.join('\n'));
      name = '';
      data = [];
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    if (field === 'data') data.push(value);
  };

  return (text) => {
    buffer += text;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    lines.forEach((line) => handleLine(line.replace(/\r$/, '')));
  };
}
