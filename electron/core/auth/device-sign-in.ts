import { z } from 'zod';
import type { Logger } from '../logger.js';
import {
  authFailure,
  cancelledFailure,
  failed,
  type AuthFailure,
  type AuthResult,
} from './auth-failure.js';
import type { AuthHttp, ServerTime } from './auth-http.js';
import type { DiscoveryClient } from './discovery.js';
import { signedInAs, tokenExpiresAt, type TokenFields } from './issued-tokens.js';
import {
  postForm,
  postTokenRequest,
  readOAuthError,
  type TokenOutcome,
  type TokenResponse,
} from './token-endpoint.js';
import { realSleep, type Sleep } from './timing.js';

/** The device-code grant type of RFC 8628. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** Seconds between polls when the server does not say. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;

/** Seconds each `slow_down` adds to the interval (RFC 8628 section 3.5). */
export const SLOW_DOWN_STEP_SECONDS = 5;

/** The longest wait between polls after network trouble. */
const MAX_RETRY_DELAY_MS = 60_000;

export const DECLINED_MESSAGE = 'Sign-in was declined in the browser.';
export const CODE_EXPIRED_MESSAGE = 'The code expired. Get a new code to try again.';

/** What a device sign-in needs besides the request itself. */
export interface DeviceSignInDeps extends AuthHttp {
  discovery: DiscoveryClient;
  /** This computer's name, shown in the user's list of signed-in devices. */
  hostname: string;
  /** Waits between polls; a real timer when omitted. */
  sleep?: Sleep;
  log?: Logger;
}

/** Which auth server and client to sign in with. */
export interface DeviceSignInRequest {
  authServerUrl: string;
  clientId: string;
  /** Cancels the sign-in, whatever step it is at. */
  signal?: AbortSignal;
  /** Told before each wait what the session is doing. */
  onStatus?: (status: DevicePollStatus) => void;
}

/** What the user needs to approve the sign-in in a browser. */
export interface DeviceCode {
  userCode: string;
  verificationUri: string;
  /** The verification page with the code filled in, when the server gives one. */
  verificationUriComplete: string | null;
  /** When the code stops working, in milliseconds since the epoch. */
  expiresAt: number;
  /** Seconds between polls, as the server first asked. */
  intervalSeconds: number;
}

/** What the session is doing while it waits for approval. */
export type DevicePollStatus =
  | { state: 'waiting'; nextPollAt: number }
  | { state: 'retrying'; nextPollAt: number; message: string };

/** The profile fields a sign-in sets; '' clears a refresh token the server did not give. */
export type SignInFields = TokenFields & {
  REFRESH_TOKEN: string;
  REFRESH_TOKEN_ID: string;
};

/** A completed sign-in. */
export interface SignedIn {
  fields: SignInFields;
  /** The email claim, else the subject, of the new token; null when it has neither. */
  signedInAs: string | null;
  tokens: TokenResponse;
  serverTime: ServerTime;
}

const deviceAuthorizationSchema = z.object({
  device_code: z.string().min(1),
  user_code: z.string().min(1),
  verification_uri: z.string().refine(isHttpUrl),
  verification_uri_complete: z.string().refine(isHttpUrl).optional(),
  expires_in: z.number().positive(),
  interval: z.number().positive().optional(),
});

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The name this computer shows in the user's list of signed-in devices. */
export function deviceName(hostname: string): string {
  return `Doover Profiles on ${hostname}`;
}

/**
 * Starts a device sign-in (RFC 8628): finds the endpoints, asks for a code,
 * and returns a session that polls until the user approves in a browser.
 */
export async function startDeviceSignIn(
  request: DeviceSignInRequest,
  deps: DeviceSignInDeps,
): Promise<AuthResult<DeviceSignInSession>> {
  const discovered = await deps.discovery.discover(request.authServerUrl, request.signal);
  if (!discovered.ok) {
    return failed(inRequestContext(discovered.failure, request.signal));
  }
  const { deviceAuthorizationEndpoint, tokenEndpoint } = discovered.value;
  if (deviceAuthorizationEndpoint === null) {
    return failed(
      authFailure('not-offered', 'This auth server does not offer sign-in with a code.'),
    );
  }

  const answer = await postForm(
    {
      endpoint: deviceAuthorizationEndpoint,
      form: deviceAuthorizationForm(request, deps),
    },
    deps,
    request.signal,
  );
  if (answer.kind === 'failed') {
    return failed(inRequestContext(answer.failure, request.signal));
  }

  const code = readDeviceAuthorization(answer.status, answer.body, deps.clock.now());
  if (!code.ok) {
    return code;
  }
  deps.log?.info(
    'device sign-in started; the code is valid for %d s',
    code.value.expiresIn,
  );

  return {
    ok: true,
    value: new DeviceSignInSession(code.value, { ...request, tokenEndpoint }, deps),
  };
}

function deviceAuthorizationForm(
  request: DeviceSignInRequest,
  deps: DeviceSignInDeps,
): Record<string, string> {
  return {
    client_id: request.clientId,
    scope: 'offline_access',
    'metaData.device.name': deviceName(deps.hostname),
    'metaData.device.type': 'other',
  };
}

function inRequestContext(
  failure: AuthFailure,
  signal: AbortSignal | undefined,
): AuthFailure {
  return failure.kind === 'cancelled' ? cancelledFailure(signal, 'Sign-in') : failure;
}

/** A device authorization answer: what the user sees, and the secret code polled with. */
interface IssuedCode {
  code: DeviceCode;
  deviceCode: string;
  expiresIn: number;
}

function readDeviceAuthorization(
  status: number,
  body: unknown,
  now: number,
): AuthResult<IssuedCode> {
  const error = readOAuthError(body);
  if (error !== null) {
    return failed(authFailure('rejected', error.message));
  }

  if (status !== 200) {
    return failed(
      unusableAuthorization(`it answered the sign-in request with HTTP ${status}.`),
    );
  }
  const parsed = deviceAuthorizationSchema.safeParse(body);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'device_code');
    return failed(
      unusableAuthorization(`its answer to the sign-in request has no valid ${field}.`),
    );
  }

  const data = parsed.data;
  const code: DeviceCode = {
    userCode: data.user_code,
    verificationUri: data.verification_uri,
    verificationUriComplete: data.verification_uri_complete ?? null,
    expiresAt: now + data.expires_in * 1000,
    intervalSeconds: data.interval ?? DEFAULT_POLL_INTERVAL_SECONDS,
  };

  return {
    ok: true,
    value: { code, deviceCode: data.device_code, expiresIn: data.expires_in },
  };
}

function unusableAuthorization(message: string): AuthFailure {
  return authFailure(
    'server-unavailable',
    `Auth server unavailable: ${message}`,
    'unexpected',
  );
}

type SessionRequest = DeviceSignInRequest & { tokenEndpoint: string };

/** How the next wait is chosen after each poll. */
type PollStep =
  | { next: 'done'; result: AuthResult<SignedIn> }
  | { next: 'poll'; delayMs: number; retryMessage?: string };

/** One device sign-in waiting for approval; `result` settles once, however it ends. */
export class DeviceSignInSession {
  /** What to show the user. */
  readonly code: DeviceCode;
  /** The signed-in tokens, or why the sign-in ended without them. */
  readonly result: Promise<AuthResult<SignedIn>>;
  readonly #deviceCode: string;
  readonly #request: SessionRequest;
  readonly #deps: DeviceSignInDeps;
  readonly #controller = new AbortController();
  readonly #signal: AbortSignal;
  #intervalMs: number;
  #failedPolls = 0;

  constructor(issued: IssuedCode, request: SessionRequest, deps: DeviceSignInDeps) {
    this.code = issued.code;
    this.#deviceCode = issued.deviceCode;
    this.#request = request;
    this.#deps = deps;
    this.#intervalMs = issued.code.intervalSeconds * 1000;
    this.#signal =
      request.signal === undefined
        ? this.#controller.signal
        : AbortSignal.any([this.#controller.signal, request.signal]);
    this.result = this.#pollUntilDone();
  }

  /** Stops polling; `result` then ends as cancelled with `reason` as its message. */
  cancel(reason = 'Sign-in was cancelled.'): void {
    this.#controller.abort(reason);
  }

  async #pollUntilDone(): Promise<AuthResult<SignedIn>> {
    let step: PollStep = { next: 'poll', delayMs: this.#intervalMs };
    while (step.next === 'poll') {
      const waited = await this.#wait(step);
      if (waited !== null) {
        return failed(waited);
      }
      step = this.#afterPoll(await this.#poll());
    }
    this.#deps.log?.info(
      'device sign-in ended: %s',
      step.result.ok ? 'signed in' : step.result.failure.kind,
    );

    return step.result;
  }

  /** Waits before the next poll; a failure when cancelled or when the code runs out first. */
  async #wait(step: PollStep & { next: 'poll' }): Promise<AuthFailure | null> {
    const now = this.#deps.clock.now();
    const delayMs = Math.max(0, Math.min(step.delayMs, this.code.expiresAt - now));
    const nextPollAt = now + delayMs;
    this.#request.onStatus?.(
      step.retryMessage === undefined
        ? { state: 'waiting', nextPollAt }
        : { state: 'retrying', nextPollAt, message: step.retryMessage },
    );
    try {
      await (this.#deps.sleep ?? realSleep)(delayMs, this.#signal);
    } catch {
      return cancelledFailure(this.#signal, 'Sign-in');
    }

    return this.#deps.clock.now() >= this.code.expiresAt
      ? authFailure('code-expired', CODE_EXPIRED_MESSAGE)
      : null;
  }

  #poll(): Promise<TokenOutcome> {
    const form = {
      grant_type: DEVICE_CODE_GRANT,
      device_code: this.#deviceCode,
      client_id: this.#request.clientId,
    };

    return postTokenRequest(
      { endpoint: this.#request.tokenEndpoint, form },
      this.#deps,
      this.#signal,
    );
  }

  #afterPoll(outcome: TokenOutcome): PollStep {
    switch (outcome.kind) {
      case 'success':
        return { next: 'done', result: { ok: true, value: this.#signedIn(outcome) } };
      case 'authorization_pending':
        this.#failedPolls = 0;
        return { next: 'poll', delayMs: this.#intervalMs };
      case 'slow_down':
        this.#failedPolls = 0;
        this.#intervalMs += SLOW_DOWN_STEP_SECONDS * 1000;
        return { next: 'poll', delayMs: this.#intervalMs };
      case 'access_denied':
        return this.#end(authFailure('declined', DECLINED_MESSAGE));
      case 'expired_token':
        return this.#end(authFailure('code-expired', CODE_EXPIRED_MESSAGE));
      case 'invalid_grant':
        return this.#end(
          authFailure(
            'code-expired',
            'The auth server no longer accepts this code. Get a new code to try again.',
          ),
        );
      case 'oauth-error':
        return this.#end(authFailure('rejected', outcome.message));
      case 'failed':
        return this.#afterFailure(outcome.failure);
    }
  }

  /**
   * Network trouble and an unavailable server are retried, further apart each
   * time, until the code runs out. An answer of the wrong shape is not: asking
   * again would get the same answer.
   */
  #afterFailure(failure: AuthFailure): PollStep {
    if (failure.kind === 'cancelled') {
      return this.#end(cancelledFailure(this.#signal, 'Sign-in'));
    }
    const transient =
      failure.kind === 'network' ||
      (failure.kind === 'server-unavailable' && failure.reason !== 'unexpected');
    if (!transient) {
      return this.#end(failure);
    }

    this.#failedPolls += 1;
    const delayMs = Math.min(
      this.#intervalMs * 2 ** this.#failedPolls,
      MAX_RETRY_DELAY_MS,
    );
    this.#deps.log?.warn(
      'device sign-in poll failed, retrying in %d s: %s',
      delayMs / 1000,
      failure.message,
    );

    return { next: 'poll', delayMs, retryMessage: failure.message };
  }

  #end(failure: AuthFailure): PollStep {
    return { next: 'done', result: failed(failure) };
  }

  #signedIn(outcome: TokenOutcome & { kind: 'success' }): SignedIn {
    const { tokens, serverTime } = outcome;

    return {
      fields: {
        TOKEN: tokens.access_token,
        TOKEN_EXPIRES: tokenExpiresAt(tokens, serverTime.sentAt),
        REFRESH_TOKEN: tokens.refresh_token ?? '',
        REFRESH_TOKEN_ID: tokens.refresh_token_id ?? '',
      },
      signedInAs: signedInAs(tokens),
      tokens,
      serverTime,
    };
  }
}
