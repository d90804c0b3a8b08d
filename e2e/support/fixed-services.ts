import { refuseAllCalls } from './refuse-all-calls.js';
import type { ConfigSnapshot } from '../../shared/profile-types.js';
import { fail, ok } from '../../shared/result.js';
import type { AppServices, EventListener } from '../../electron/core/app-services.js';

/** An empty but readable profiles file, as a snapshot. */
export const fixedSnapshot: ConfigSnapshot = {
  path: '/home/someone/.doover/config',
  file: { status: 'ok' },
  profiles: [],
  preservedBlocks: [],
  pydooverError: null,
  readAt: 1,
};

/**
 * The far side of a transport under test: services whose handlers answer
 * fixed Results (`revealSecret` gives "<field>-value" for the profile
 * "default") and whose snapshot event a test can fire.
 */
export function createFixedServices() {
  const listeners = new Set<EventListener>();
  const services: Pick<AppServices, 'handlers' | 'onEvent'> = {
    handlers: {
      ...refuseAllCalls(),
      getSnapshot: async () => ok(fixedSnapshot),
      revealSecret: async ({ profile, field }) =>
        profile === 'default'
          ? ok({ value: `${field}-value` })
          : fail('not-found', 'No such profile.'),
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit: EventListener = (name, payload) =>
    listeners.forEach((listener) => listener(name, payload));
  const emitSnapshot = (payload: ConfigSnapshot) => emit('onSnapshot', payload);

  return { services, emit, emitSnapshot, listenerCount: () => listeners.size };
}
