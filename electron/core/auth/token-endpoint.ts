import { z } from 'zod';
import { authFailure, type AuthFailure } from './auth-failure.js';
import {
  formEncode,
  plainServerText,
  readJson,
  sendRequest,
  type AuthHttp,
  type JsonOutcome,
  type ServerTime,
} from './auth-http.js';
import { skewSample } from './clock-skew.js';
import { issuedAtMs } from './issued-tokens.js';

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_id: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
});

const oauthErrorSchema = z.object({
  error: z.string().min(1),
  error_description: z.string().optional(),
});

/** A token endpoint's successful answer, as RFC 6749 names its fields. */
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** The OAuth errors the app acts on, each in its own way. */
export type KnownOAuthError =
  | 'invalid_grant'
  | 'authorization_pending'
  | 'slow_down'
  | 'access_denied'
  | 'expired_token';

const knownErrors = new Set<string>([
  'invalid_grant',
  'authorization_pending',
  'slow_down',
  'access_denied',
  'expired_token',
]);

/** Every way a token request can end; `serverTime` feeds the clock check. */
export type TokenOutcome =
  | { kind: 'success'; tokens: TokenResponse; serverTime: ServerTime }
  | { kind: KnownOAuthError; description: string; serverTime: ServerTime }
  /** Another OAuth error; `message` shows its description plainly. */
  | { kind: 'oauth-error'; error: string; message: string; serverTime: ServerTime }
  /** Unavailable, unreachable or cancelled: `failure` says which, in words. */
  | { kind: 'failed'; failure: AuthFailure; serverTime: ServerTime | null };

/** A client id and secret sent with HTTP Basic authentication. */
export interface ClientSecretBasic {
  clientId: string;
  clientSecret: string;
}

/** One request to a token endpoint. */
export interface TokenRequest {
  endpoint: string;
  /** Sent as an `application/x-www-form-urlencoded` body, never in the URL. */
  form: Record<string, string>;
  basicAuth?: ClientSecretBasic;
}

/** POSTs a form to a token endpoint and classifies the answer. */
export async function postTokenRequest(
  request: TokenRequest,
  http: AuthHttp,
  signal?: AbortSignal,
): Promise<TokenOutcome> {
  const answer = await postForm(request, http, signal);
  if (answer.kind === 'failed') {
    return answer;
  }

  const outcome = classifyTokenAnswer(answer.status, answer.body, answer.serverTime);
  const issuedAt = outcome.kind === 'success' ? issuedAtMs(outcome.tokens) : null;
  if (outcome.kind === 'success' && issuedAt !== null) {
    // The new token's `iat` is the time of the clock that will judge it.
    http.clockSkew?.observe(skewSample(outcome.serverTime, issuedAt));
  }

  return outcome;
}

/** POSTs `request.form` as a form body and reads the JSON answer. */
export async function postForm(
  request: TokenRequest,
  http: AuthHttp,
  signal?: AbortSignal,
): Promise<JsonOutcome> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (request.basicAuth !== undefined) {
    headers.authorization = basicAuthorization(request.basicAuth);
  }
  const init = {
    method: 'POST',
    headers,
    body: new URLSearchParams(request.form).toString(),
  };

  const sent = await sendRequest(request.endpoint, init, http, signal);

  return sent.kind === 'failed'
    ? { kind: 'failed', failure: sent.failure, serverTime: null }
    : readJson(sent);
}

/**
 * HTTP Basic credentials as RFC 6749 section 2.3.1 asks: id and secret are
 * each form-encoded before they are joined with a colon.
 */
export function basicAuthorization({
  clientId,
  clientSecret,
}: ClientSecretBasic): string {
  const pair = `${formEncode(clientId)}:${formEncode(clientSecret)}`;

  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

function classifyTokenAnswer(
  status: number,
  body: unknown,
  serverTime: ServerTime,
): TokenOutcome {
  const error = oauthErrorSchema.safeParse(body);
  if (error.success) {
    return classifyOAuthError(error.data, serverTime);
  }
  if (status < 200 || status >= 300) {
    return unusable(`it answered HTTP ${status} without an OAuth error.`, serverTime);
  }

  const tokens = tokenResponseSchema.safeParse(body);
  if (!tokens.success) {
    const field = String(tokens.error.issues[0]?.path[0] ?? 'access_token');
    return unusable(`its answer has no valid ${field}.`, serverTime);
  }

  return { kind: 'success', tokens: tokens.data, serverTime };
}

function classifyOAuthError(
  parsed: z.infer<typeof oauthErrorSchema>,
  serverTime: ServerTime,
): TokenOutcome {
  const { error, description, message } = describeOAuthError(parsed);
  if (knownErrors.has(error)) {
    return { kind: error as KnownOAuthError, description, serverTime };
  }

  return { kind: 'oauth-error', error, message, serverTime };
}

/** An OAuth error body in plain words, or null when `body` is not one. */
export function readOAuthError(
  body: unknown,
): { error: string; description: string; message: string } | null {
  const parsed = oauthErrorSchema.safeParse(body);

  return parsed.success ? describeOAuthError(parsed.data) : null;
}

function describeOAuthError({
  error,
  error_description: rawDescription,
}: z.infer<typeof oauthErrorSchema>) {
  const code = plainServerText(error);
  const description = plainServerText(rawDescription ?? '');
  const said =
    description === '' || description === code
      ? ''
      : `: ${description.replace(/\.$/, '')}`;

  return {
    error: code,
    description,
    message: `The auth server refused the request (${code})${said}.`,
  };
}

function unusable(message: string, serverTime: ServerTime): TokenOutcome {
  return {
    kind: 'failed',
    failure: authFailure(
      'server-unavailable',
      `Auth server unavailable: ${message}`,
      'unexpected',
    ),
    serverTime,
  };
}
