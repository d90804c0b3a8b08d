import type { Clock } from '../app-services.js';
import { createRedactor } from '../redact.js';
import { authFailure, type AuthFailure, type AuthResult } from './auth-failure.js';
import { skewSample, type ClockSkewTracker, type ServerTime } from './clock-skew.js';

export type { ServerTime } from './clock-skew.js';

/** The global `fetch`, or anything that behaves like it. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** How long a request to the auth server may take before it counts as unanswered. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** What every request to the auth server needs. */
export interface AuthHttp {
  fetch: FetchLike;
  clock: Clock;
  /** Per request; 15 s when omitted. */
  timeoutMs?: number;
  /**
   * Told the server's time from every answer that carries it. Requests are
   * then timed with its corrected clock, which it allows for.
   */
  clockSkew?: ClockSkewTracker;
}

/** An HTTP answer, read in full. */
export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  serverTime: ServerTime;
}

/** The outcome of one request: an answer, or why there was none. */
export type SendOutcome =
  ({ kind: 'answer' } & RawAnswer) | { kind: 'failed'; failure: AuthFailure };

/** A JSON body, or why the answer holds none that can be used. */
export type JsonOutcome =
  | { kind: 'json'; status: number; body: unknown; serverTime: ServerTime }
  | { kind: 'failed'; failure: AuthFailure; serverTime: ServerTime | null };

const UNAVAILABLE = 'Auth server unavailable';

const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  UND_ERR_SOCKET: 'the connection closed before an answer came',
  ENOTFOUND: 'its name was not found (check the address and the internet connection)',
  EAI_AGAIN: 'its name could not be looked up (check the internet connection)',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
};

// Hides anything token-shaped in text the server wrote, such as an error description.
const redactTokens = createRedactor('');

/**
 * Sends one request and reads the whole answer. Redirects are not followed:
 * a token request must reach the endpoint it was meant for, body and all.
 */
export async function sendRequest(
  url: string,
  init: RequestInit,
  http: AuthHttp,
  signal?: AbortSignal,
): Promise<SendOutcome> {
  const timeoutMs = http.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const clock = http.clockSkew ?? http.clock;
  const sentAt = clock.now();
  try {
    const response = await http.fetch(url, {
      redirect: 'manual',
      ...init,
      signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]),
    });
    const text = await response.text();
    const serverTime = {
      serverDate: parseHttpDate(response.headers.get('date')),
      sentAt,
      receivedAt: clock.now(),
    };
    const contentType = response.headers.get('content-type') ?? '';
    http.clockSkew?.observe(skewSample(serverTime));

    return { kind: 'answer', status: response.status, contentType, text, serverTime };
  } catch (error) {
    return {
      kind: 'failed',
      failure: sendFailure(url, error, timeout, timeoutMs, signal),
    };
  }
}

function sendFailure(
  url: string,
  error: unknown,
  timeout: AbortSignal,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): AuthFailure {
  if (signal?.aborted) {
    return authFailure('cancelled', 'The request was cancelled.');
  }
  if (timeout.aborted) {
    const seconds = Math.round(timeoutMs / 100) / 10;
    return authFailure(
      'server-unavailable',
      `${UNAVAILABLE}: no answer within ${seconds} s.`,
      'timeout',
    );
  }

  return authFailure('network', networkMessage(url, error));
}

/** "Could not reach the auth server at HOST: REASON." from a fetch error. */
export function networkMessage(url: string, error: unknown): string {
  const code = errorCode(error);
  const reason =
    (code === undefined ? undefined : networkReasons[code]) ??
    (code !== undefined && /CERT|TLS|SSL/.test(code)
      ? 'its certificate was not accepted'
      : 'the connection failed');

  return `Could not reach the auth server at ${hostOf(url)}: ${reason}.`;
}

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; depth < 4; depth += 1) {
    if (typeof current !== 'object' || current === null) {
      return undefined;
    }
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }

  return undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the given address';
  }
}

/** An HTTP `Date` header in milliseconds, or null when absent or unreadable. */
export function parseHttpDate(header: string | null): number | null {
  const parsed = header === null ? Number.NaN : Date.parse(header);

  return Number.isFinite(parsed) ? parsed : null;
}

/**
 * The JSON body of an answer. A 5xx, a redirect, a web page, or a body that
 * is not JSON each become a failure that says which it was.
 */
export function readJson(answer: RawAnswer): JsonOutcome {
  const { status, serverTime } = answer;
  const unavailable = (message: string, reason: AuthFailure['reason']) => ({
    kind: 'failed' as const,
    failure: authFailure('server-unavailable', `${UNAVAILABLE}: ${message}`, reason),
    serverTime,
  });
  const isHtml = /html/i.test(answer.contentType) || /^\s*</.test(answer.text);
  if (status >= 500) {
    const page = isHtml ? ' with a web page' : '';
    return unavailable(`it answered HTTP ${status}${page}.`, 'server-error');
  }
  if (status === 429) {
    return unavailable('it is receiving too many requests (HTTP 429).', 'server-error');
  }
  if (status >= 300 && status < 400) {
    return unavailable(`it answered with a redirect (HTTP ${status}).`, 'unexpected');
  }
  if (isHtml) {
    return unavailable(
      `it sent a web page instead of data (HTTP ${status}); a proxy or captive portal may be in the way.`,
      'html',
    );
  }

  try {
    return { kind: 'json', status, body: JSON.parse(answer.text) as unknown, serverTime };
  } catch {
    const saysJson = /json/i.test(answer.contentType);
    return saysJson || (status >= 200 && status < 300)
      ? unavailable(`its answer was not valid JSON (HTTP ${status}).`, 'invalid-json')
      : unavailable(`it answered HTTP ${status} with no usable data.`, 'unexpected');
  }
}

/** Text written by the server, made safe to show: one line, short, nothing token-shaped. */
export function plainServerText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const oneLine = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const short = oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;

  return redactTokens(short);
}

/** A value encoded as `application/x-www-form-urlencoded` (RFC 6749 appendix B). */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/** An http(s) server address without trailing slashes, or a failure saying it is not one. */
export function serverBaseUrl(address: string, what: string): AuthResult<string> {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return {
      ok: false,
      failure: authFailure('invalid-address', `The ${what} address is not a valid URL.`),
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {
      ok: false,
      failure: authFailure(
        'invalid-address',
        `The ${what} address must start with https://.`,
      ),
    };
  }

  url.search = '';
  url.hash = '';

  return { ok: true, value: url.toString().replace(/\/+$/, '') };
}
