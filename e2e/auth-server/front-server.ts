import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithFault } from './faults.js';
import type { Endpoint, FaultController } from './faults.js';
import type { PollLimit } from './poll-limit.js';
import { DEVICE_CODE_GRANT, ROUTES } from './provider-config.js';
import { answerHeaders, forward } from './proxy.js';
import { basicAuthClientId, redactParams } from './request-log.js';
import type { LoggedRequest } from './request-log.js';
import { shapeAnswer } from './response-shape.js';

/** Where the data API's client-credentials endpoint lives (`{BASE_DATA_URL}/oauth2/token`). */
export const DATA_TOKEN_PATH = '/api/oauth2/token';

const BODY_LIMIT = 64 * 1024;

const ENDPOINTS = new Map<string, Endpoint>([
  ['/.well-known/openid-configuration', 'discovery'],
  ['/.well-known/oauth-authorization-server', 'discovery'],
  [ROUTES.jwks, 'jwks'],
  [ROUTES.device_authorization, 'device_authorize'],
  [ROUTES.code_verification, 'device_page'],
  [ROUTES.token, 'token'],
  [ROUTES.revocation, 'revoke'],
  [DATA_TOKEN_PATH, 'data_token'],
]);

/** What the front server needs from the rest of the test auth server. */
export interface FrontServerOptions {
  providerPort: number;
  faults: FaultController;
  requests: LoggedRequest[];
  pollIntervalSeconds: number;
  /** Present when polling faster than the interval is answered `slow_down`. */
  pollLimit: PollLimit | undefined;
  /** Called once each request has been answered (or dropped). */
  onRequest: ((request: LoggedRequest) => void) | undefined;
}

/** One request on its way through the front server. */
interface Exchange {
  endpoint: Endpoint;
  /** Form parameters as the provider gets them (query merged in for token calls). */
  params: URLSearchParams;
  body: Buffer;
  entry: LoggedRequest;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) {
      throw new Error('request body too large');
    }
    chunks.push(chunk);
  }

  return Buffer.concat(chunks);
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith(
    'application/x-www-form-urlencoded',
  );
}

/**
 * FusionAuth reads token parameters from the query string as well as the
 * body (pydoover relies on it); oidc-provider reads only the body, so the
 * query is folded into the form it gets.
 */
function providerParams(
  endpoint: Endpoint,
  query: URLSearchParams,
  form: URLSearchParams,
) {
  const merged = new URLSearchParams(form);
  if (endpoint === 'token' || endpoint === 'data_token') {
    for (const [name, value] of query) {
      if (!merged.has(name)) {
        merged.append(name, value);
      }
    }
  }

  return merged;
}

async function receive(
  req: IncomingMessage,
  requests: LoggedRequest[],
): Promise<Exchange> {
  const url = new URL(req.url ?? '/', 'http://front.invalid');
  const endpoint = ENDPOINTS.get(url.pathname) ?? 'other';
  const raw = await readBody(req);
  const form = isForm(req)
    ? new URLSearchParams(raw.toString('utf8'))
    : new URLSearchParams();
  const params = providerParams(endpoint, url.searchParams, form);
  const clientId = basicAuthClientId(req.headers.authorization);
  const entry: LoggedRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    endpoint,
    query: redactParams(url.searchParams),
    form: redactParams(form),
    ...(clientId === undefined ? {} : { basicAuthClientId: clientId }),
    bearerToken: /^Bearer\s/i.test(req.headers.authorization ?? ''),
    answeredBy: 'provider',
  };
  requests.push(entry);
  if (params.size === form.size) {
    return { endpoint, params, body: raw, entry };
  }
  // Parameters folded in from the query travel on as a form body.
  req.headers['content-type'] = 'application/x-www-form-urlencoded';

  return { endpoint, params, body: Buffer.from(params.toString()), entry };
}

function upstreamPath(req: IncomingMessage, exchange: Exchange): string {
  const url = new URL(req.url ?? '/', 'http://front.invalid');
  if (exchange.endpoint === 'data_token') {
    return ROUTES.token;
  }

  return exchange.endpoint === 'token' ? url.pathname : `${url.pathname}${url.search}`;
}

async function relay(
  options: FrontServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  exchange: Exchange,
) {
  const answer = await forward(
    options.providerPort,
    req,
    upstreamPath(req, exchange),
    exchange.body,
  );
  const shaped = shapeAnswer(exchange.endpoint, answer, options.pollIntervalSeconds);
  exchange.entry.status = shaped.status;
  res.writeHead(shaped.status, answerHeaders(shaped));
  res.end(shaped.body);
}

function pollTooSoon(options: FrontServerOptions, exchange: Exchange): boolean {
  const deviceCode = exchange.params.get('device_code');
  const polling =
    exchange.endpoint === 'token' &&
    exchange.params.get('grant_type') === DEVICE_CODE_GRANT;

  return (
    polling && deviceCode !== null && options.pollLimit?.tooSoon(deviceCode) === true
  );
}

async function handle(
  options: FrontServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const exchange = await receive(req, options.requests);
  res.once('close', () => options.onRequest?.(exchange.entry));
  res.setHeader('date', options.faults.dateHeader());

  const fault = options.faults.take(
    exchange.endpoint,
    exchange.params.get('grant_type') ?? undefined,
  );
  if (fault !== undefined && (await answerWithFault(res, fault))) {
    exchange.entry.answeredBy = 'fault';
    if (fault.kind !== 'drop') {
      exchange.entry.status = res.statusCode;
    }
    return;
  }
  if (pollTooSoon(options, exchange)) {
    exchange.entry.answeredBy = 'poll-limit';
    exchange.entry.status = 400;
    await answerWithFault(res, {
      kind: 'oauth-error',
      error: 'slow_down',
      description: 'polling too fast',
    });
    return;
  }

  await relay(options, req, res, exchange);
}

/**
 * What clients talk to: it logs each request without its secrets, answers
 * queued faults, and otherwise relays to the provider.
 */
export function frontRequestHandler(
  options: FrontServerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(options, req, res).catch(() => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('front server could not relay the request\n');
    });
  };
}
