import { describe, expect, it } from 'vitest';
import { buildDooverApi } from './api-from-contract.js';
import { callNames, calls, eventNames, events } from './contract.js';
import { ok } from './result.js';

/** Records what the API hands to its transport. */
function recordingTransport() {
  const calls: Array<[string, unknown]> = [];
  const subscriptions = new Map<string, (payload: unknown) => void>();
  const unsubscribed: string[] = [];

  return {
    calls,
    subscriptions,
    unsubscribed,
    transport: {
      call: async (channel: string, request: unknown) => {
        calls.push([channel, request]);
        return ok(null);
      },
      subscribe: (channel: string, listener: (payload: unknown) => void) => {
        subscriptions.set(channel, listener);
        return () => unsubscribed.push(channel);
      },
    },
  };
}

describe('buildDooverApi', () => {
  it('exposes one method per contract call and event, and nothing else', () => {
    const api = buildDooverApi(recordingTransport().transport);

    expect(Object.keys(api).sort()).toEqual([...callNames, ...eventNames].sort());
  });

  it('sends each call on its own contract channel', async () => {
    const recorder = recordingTransport();
    const api = buildDooverApi(recorder.transport);

    await api.getSnapshot({});
    await api.revealSecret({ profile: 'default', field: 'token' });

    expect(recorder.calls).toEqual([
      [calls.getSnapshot.channel, {}],
      [calls.revealSecret.channel, { profile: 'default', field: 'token' }],
    ]);
  });

  it('subscribes each onX to its event channel and returns the unsubscribe', () => {
    const recorder = recordingTransport();
    const api = buildDooverApi(recorder.transport);
    const received: unknown[] = [];

    const unsubscribe = api.onSnapshot((snapshot) => received.push(snapshot));
    recorder.subscriptions.get(events.onSnapshot.channel)?.('payload');
    unsubscribe();

    expect(received).toEqual(['payload']);
    expect(recorder.unsubscribed).toEqual([events.onSnapshot.channel]);
  });
});
