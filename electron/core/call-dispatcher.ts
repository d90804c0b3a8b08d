import {
  callNameForChannel,
  calls,
  type CallHandlers,
  type CallName,
} from '../../shared/contract.js';
import { fail, type Result } from '../../shared/result.js';
import type { Logger } from './logger.js';

export type DispatchCall = (
  channel: unknown,
  request: unknown,
) => Promise<Result<unknown>>;

/**
 * The single place where a call from the renderer is checked before it runs:
 * the channel must be in the contract and the request must parse with its
 * schema. Both the Electron IPC layer and browser mode go through it; each of
 * them checks who is calling before handing the call over.
 */
export function createCallDispatcher(handlers: CallHandlers, log: Logger): DispatchCall {
  return async (channel, request) => {
    const name = callNameForChannel(channel);
    if (name === undefined) {
      log.warn('refused a call on an unknown channel');
      return fail('bad-request', 'This request is not one the app knows.');
    }

    const parsed = calls[name].request.safeParse(request);
    if (!parsed.success) {
      log.warn({ channel }, 'refused a call whose arguments do not match the contract');
      return fail('bad-request', 'This request has missing or malformed details.');
    }

    return runHandler(name, parsed.data, handlers, log);
  };
}

async function runHandler(
  name: CallName,
  request: unknown,
  handlers: CallHandlers,
  log: Logger,
): Promise<Result<unknown>> {
  const handler = handlers[name] as (request: unknown) => Promise<Result<unknown>>;
  try {
    return await handler(request);
  } catch (error) {
    log.error({ err: error, call: name }, 'a call failed unexpectedly');
    return fail(
      'internal',
      'Something went wrong inside the app. The details are in its log.',
    );
  }
}
