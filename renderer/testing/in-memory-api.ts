import type { DooverApi } from '../../shared/contract';
import type { ConfigSnapshot, SecretField } from '../../shared/profile-types';
import { fail, ok, type Result } from '../../shared/result';

type Secrets = Record<string, Partial<Record<SecretField, string>>>;

/** An in-memory main process: answers calls from fixed data and pushes snapshots on demand. */
export interface InMemoryApi {
  api: DooverApi;
  /** Pushes a snapshot to every subscriber, as main does when the file changes. */
  push: (snapshot: ConfigSnapshot) => void;
  /** Changes what getSnapshot answers from now on, without telling subscribers. */
  setSnapshotAnswer: (snapshot: ConfigSnapshot) => void;
  /** Every revealSecret request, in order. */
  revealRequests: { profile: string; field: SecretField }[];
  subscriberCount: () => number;
}

/** Builds an in-memory implementation of the contract for component tests. */
export function createInMemoryApi(
  initial: Result<ConfigSnapshot>,
  secrets: Secrets = {},
): InMemoryApi {
  const listeners = new Set<(snapshot: ConfigSnapshot) => void>();
  const revealRequests: InMemoryApi['revealRequests'] = [];
  let current = initial;

  const unmodelled = fail('internal', 'This test does not model that call.');
  const api: DooverApi = {
    getSnapshot: async () => current,
    revealSecret: async ({ profile, field }) => {
      revealRequests.push({ profile, field });
      const value = secrets[profile]?.[field];

      return value === undefined
        ? fail('not-found', `${profile} has no such secret.`)
        : ok({ value });
    },
    // Sign-in, token and keychain calls are not modelled here.
    startSignIn: async () => unmodelled,
    cancelSignIn: async () => unmodelled,
    signOut: async () => unmodelled,
    refreshToken: async () => unmodelled,
    getTokenForCopy: async () => unmodelled,
    getRenewalStates: async () => unmodelled,
    addServiceAccount: async () => unmodelled,
    getKeychainStatus: async () => unmodelled,
    removeKeychainOrphans: async () => unmodelled,
    moveSignIn: async () => unmodelled,
    getSettings: async () => unmodelled,
    updateSettings: async () => unmodelled,
    onSignInProgress: () => () => undefined,
    onRenewalStates: () => () => undefined,
    onKeychainStatus: () => () => undefined,
    onSnapshot: (listener) => {
      listeners.add(listener);

      return () => listeners.delete(listener);
    },
  };

  return {
    api,
    push: (snapshot) => {
      current = ok(snapshot);
      listeners.forEach((listener) => listener(snapshot));
    },
    setSnapshotAnswer: (snapshot) => {
      current = ok(snapshot);
    },
    revealRequests,
    subscriberCount: () => listeners.size,
  };
}
