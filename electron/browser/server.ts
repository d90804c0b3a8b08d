import { randomBytes } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { fail, type Result } from '../../shared/result.js';
import type { AppServices } from '../core/app-services.js';
import { createCallDispatcher, type DispatchCall } from '../core/call-dispatcher.js';
import { scopedLogger, type Logger } from '../core/logger.js';
import { createEventBroadcaster, type EventBroadcaster } from './event-stream.js';
import {
  allowedHostHeaders,
  hasLaunchSecret,
  isAllowedOrigin,
  isLoopbackHost,
} from './request-guard.js';
import { sendPlain, serveStaticFile } from './static-files.js';

export interface BrowserServerOptions {
  services: Pick<AppServices, 'handlers' | 'onEvent'>;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** A loopback address; 127.0.0.1 when omitted. */
  host?: string;
  /** 0 or omitted: any free port. */
  port?: number;
  log: Logger;
  /** How often the event stream sends a keep-alive comment; 15 s when omitted. */
  heartbeatMs?: number;
}

export interface BrowserServer {
  /** Where the server listens, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** The address to open in a browser: `url` with the launch secret in its fragment. */
  launchUrl: string;
  port: number;
  /** 32 random bytes as hex, made at launch; every API request must carry it. */
  secret: string;
  close(): Promise<void>;
}

interface ServerContext {
  secret: string;
  hostHeaders: ReadonlySet<string>;
  rendererRoot: string;
  dispatch: DispatchCall;
  broadcaster: EventBroadcaster;
  log: Logger;
}

const maxBodyBytes = 64 * 1024;
const callPrefix = '/api/call/';

/**
 * Browser mode: the same services as the desktop app, served to a page on
 * loopback. Calls are `POST /api/call/<channel>` and events a server-sent
 * event stream at `GET /api/events`; both need the launch secret as a bearer
 * token, the page's own origin (or none) and our own `Host`. Static files need
 * only the `Host`: they hold no user data.
 */
export async function createBrowserServer(
  options: BrowserServerOptions,
): Promise<BrowserServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new Error(
      'Browser mode listens on this machine only (127.0.0.1, localhost or ::1).',
    );
  }

  const log = scopedLogger(options.log, 'browser');
  const context: ServerContext = {
    secret: randomBytes(32).toString('hex'),
    hostHeaders: new Set(),
    rendererRoot: await realpath(options.rendererDir),
    dispatch: createCallDispatcher(options.services.handlers, log),
    broadcaster: createEventBroadcaster(options.services, options.heartbeatMs ?? 15_000),
    log,
  };
  const server = createServer((request, response) => {
    handleRequest(request, response, context).catch((error: unknown) =>
      handleUnexpected(error, response, log),
    );
  });
  const port = await listen(server, host, options.port ?? 0).catch((error: unknown) => {
    context.broadcaster.close();
    throw error;
  });
  context.hostHeaders = allowedHostHeaders(host, port);
  log.info({ port }, 'listening on loopback');

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  let closing: Promise<void> | undefined;
  return {
    url,
    launchUrl: `${url}#secret=${context.secret}`,
    port,
    secret: context.secret,
    close: () => (closing ??= closeServer(server, context)),
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function closeServer(server: Server, context: ServerContext): Promise<void> {
  context.broadcaster.close();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
  context.log.info('stopped');
}

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  context: ServerContext,
): Promise<void> {
  if (!context.hostHeaders.has((request.headers.host ?? '').toLowerCase())) {
    context.log.warn('refused a request addressed to a foreign host name');
    sendPlain(response, 403, 'Forbidden');
    return;
  }

  const path = pathOf(request);
  if (!path.startsWith('/api/')) {
    await serveStaticFile(request, response, context.rendererRoot);
    return;
  }
  await handleApiRequest(request, response, path, context);
}

async function handleApiRequest(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  context: ServerContext,
): Promise<void> {
  const { origin, authorization } = request.headers;
  if (!isAllowedOrigin(origin, context.hostHeaders)) {
    refuse(response, context, 'refused an API request from a foreign origin');
    return;
  }
  if (!hasLaunchSecret(authorization, context.secret)) {
    refuse(response, context, 'refused an API request without the launch secret');
    return;
  }

  if (path === '/api/events') {
    handleEvents(request, response, context);
  } else if (path.startsWith(callPrefix)) {
    await handleCall(request, response, path.slice(callPrefix.length), context);
  } else {
    sendJson(response, 404, fail('not-found', 'This address is not part of the app.'));
  }
}

function handleEvents(
  request: IncomingMessage,
  response: ServerResponse,
  context: ServerContext,
): void {
  if (request.method !== 'GET') {
    sendJson(response, 405, fail('bad-request', 'Events are read with GET.'));
    return;
  }

  context.broadcaster.open(response);
}

async function handleCall(
  request: IncomingMessage,
  response: ServerResponse,
  encodedChannel: string,
  context: ServerContext,
): Promise<void> {
  if (request.method !== 'POST') {
    sendJson(response, 405, fail('bad-request', 'Calls are made with POST.'));
    return;
  }
  if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) {
    sendJson(response, 415, fail('bad-request', 'Calls carry a JSON body.'));
    return;
  }

  const body = await readBody(request, maxBodyBytes);
  if (body === undefined) {
    response.setHeader('Connection', 'close');
    sendJson(response, 413, fail('bad-request', 'This request is too large.'));
    return;
  }
  const parsed = parseJson(body);
  if (!parsed.ok) {
    sendJson(response, 400, fail('bad-request', 'This request is not valid JSON.'));
    return;
  }

  const result = await context.dispatch(decodeChannel(encodedChannel), parsed.value);
  sendJson(response, 200, result);
}

/** The body as text, or undefined when it is larger than `limit` bytes. */
async function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<string | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > limit) {
    return undefined;
  }

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): Result<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return fail('bad-request', 'not JSON');
  }
}

/** A channel that does not decode is passed on as is; the dispatcher refuses it. */
function decodeChannel(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

function pathOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? '/', 'http://placeholder').pathname;
  } catch {
    return '/';
  }
}

function refuse(response: ServerResponse, context: ServerContext, reason: string): void {
  context.log.warn(reason);
  sendJson(response, 403, fail('bad-request', 'This request is not allowed.'));
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(body);
}

function handleUnexpected(error: unknown, response: ServerResponse, log: Logger): void {
  log.error({ err: error }, 'a request failed unexpectedly');
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, 500, fail('internal', 'Something went wrong inside the app.'));
}
