import { z } from 'zod';
import type { ConfigSnapshot, RevealedSecret } from './profile-types.js';
import type { Result } from './result.js';

/**
 * The one contract between the main process and the renderer. The preload
 * (Electron) and the HTTP client (browser mode) are both built from it, and
 * main validates every call against it before a handler runs.
 */

interface CallSpec<Request extends z.ZodType, Response> {
  channel: string;
  request: Request;
  /** Carries the response type only; never set at run time. */
  readonly response?: Response;
}

interface EventSpec<Payload> {
  channel: string;
  readonly payload?: Payload;
}

function defineCall<Response>() {
  return <Request extends z.ZodType>(
    channel: string,
    request: Request,
  ): CallSpec<Request, Response> => ({ channel, request });
}

function defineEvent<Payload>(channel: string): EventSpec<Payload> {
  return { channel };
}

const profileName = z.string().min(1).max(1000);

export const calls = {
  getSnapshot: defineCall<ConfigSnapshot>()(
    'profiles:get-snapshot',
    z.object({}).strict(),
  ),
  revealSecret: defineCall<RevealedSecret>()(
    'profiles:reveal-secret',
    z.object({ profile: profileName, field: z.enum(['token', 'refreshToken']) }).strict(),
  ),
};

export const events = {
  onSnapshot: defineEvent<ConfigSnapshot>('profiles:snapshot'),
};

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;

export type CallRequest<Name extends CallName> = z.input<(typeof calls)[Name]['request']>;
export type ParsedCallRequest<Name extends CallName> = z.output<
  (typeof calls)[Name]['request']
>;
export type CallResponse<Name extends CallName> = NonNullable<
  (typeof calls)[Name]['response']
>;
export type EventPayload<Name extends EventName> = NonNullable<
  (typeof events)[Name]['payload']
>;

export type Unsubscribe = () => void;

/** What the renderer sees: one named method per call and per event. */
export type DooverApi = {
  [Name in CallName]: (request: CallRequest<Name>) => Promise<Result<CallResponse<Name>>>;
} & {
  [Name in EventName]: (listener: (payload: EventPayload<Name>) => void) => Unsubscribe;
};

/** What main implements: one handler per call, given an already-parsed request. */
export type CallHandlers = {
  [Name in CallName]: (
    request: ParsedCallRequest<Name>,
  ) => Promise<Result<CallResponse<Name>>>;
};

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

const callsByChannel = new Map(callNames.map((name) => [calls[name].channel, name]));

/** The call a channel belongs to, or undefined for a channel the contract does not know. */
export function callNameForChannel(channel: unknown): CallName | undefined {
  return typeof channel === 'string' ? callsByChannel.get(channel) : undefined;
}
