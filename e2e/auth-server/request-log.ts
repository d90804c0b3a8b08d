import type { Endpoint } from './faults.js';

/** Parameters whose values are credentials: the log keeps only their length. */
const SECRET_PARAMS = new Set([
  'access_token',
  'refresh_token',
  'device_code',
  'client_secret',
  'client_assertion',
  'token',
  'code',
  'code_verifier',
  'password',
  'xsrf',
]);

/** One request as the server received it, with credentials hidden. */
export interface LoggedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  endpoint: Endpoint;
  query: Record<string, string>;
  /** Form body parameters (`application/x-www-form-urlencoded` only). */
  form: Record<string, string>;
  /** The client id of HTTP Basic authentication, if any (never the secret). */
  basicAuthClientId?: string;
  /** Whether a Bearer token came in the Authorization header. */
  bearerToken: boolean;
  /** The status answered; undefined until answered or for a dropped connection. */
  status?: number;
  /** Who produced the answer: the provider, a queued fault, or the poll limit. */
  answeredBy: 'provider' | 'fault' | 'poll-limit';
}

/** The stand-in for a secret value: its length only. */
export function hiddenValue(value: string): string {
  return `<hidden ${value.length} chars>`;
}

/** Parameters as a record, credentials replaced by their length. */
export function redactParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) {
    out[name] = SECRET_PARAMS.has(name) ? hiddenValue(value) : value;
  }

  return out;
}

/** The client id of a Basic Authorization header; the secret is not kept. */
export function basicAuthClientId(header: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (match?.[1] === undefined) {
    return undefined;
  }

  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const clientId = colon === -1 ? decoded : decoded.slice(0, colon);
  try {
    return decodeURIComponent(clientId);
  } catch {
    return clientId;
  }
}
