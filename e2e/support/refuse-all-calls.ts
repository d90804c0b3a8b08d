import { callNames, type CallHandlers } from '../../shared/contract.js';
import { fail } from '../../shared/result.js';

/**
 * Handlers that refuse every call, for tests of a transport that exercise only
 * a few calls: spread it first, then give the calls under test.
 */
export function refuseAllCalls(): CallHandlers {
  const refuse = async () => fail('internal', 'This test does not answer that call.');
  return Object.fromEntries(
    callNames.map((name) => [name, refuse]),
  ) as unknown as CallHandlers;
}
