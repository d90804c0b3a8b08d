import type { AuthResult } from './auth-failure.js';
import {
  startDeviceSignIn,
  type DeviceSignInDeps,
  type DeviceSignInRequest,
  type DeviceSignInSession,
} from './device-sign-in.js';

/** What an earlier sign-in of the same profile ends with when a new one starts. */
export const REPLACED_MESSAGE =
  'A newer sign-in for this profile took the place of this one.';

/**
 * At most one device sign-in per profile at a time. Starting another one for
 * the same profile cancels the earlier one, whatever step it is at: the user
 * who asks again ("Get a new code", a second window) wants the newest code,
 * and an older code left polling would be a second sign-in.
 *
 * LIMITATION: it keeps sign-ins apart within one process (all windows of the
 * app share the main process); the desktop app and browser mode running at
 * once could each sign the same profile in. Both would then write complete
 * sign-ins, the later one winning, so nothing is lost but a device session.
 */
export class DeviceSignInRegistry {
  readonly #deps: DeviceSignInDeps;
  readonly #running = new Map<string, AbortController>();

  constructor(deps: DeviceSignInDeps) {
    this.#deps = deps;
  }

  /** Starts a sign-in for `profile`, cancelling one already running for it. */
  async start(
    profile: string,
    request: DeviceSignInRequest,
  ): Promise<AuthResult<DeviceSignInSession>> {
    this.#running.get(profile)?.abort(REPLACED_MESSAGE);
    const controller = new AbortController();
    this.#running.set(profile, controller);
    const signal =
      request.signal === undefined
        ? controller.signal
        : AbortSignal.any([controller.signal, request.signal]);

    const started = await startDeviceSignIn({ ...request, signal }, this.#deps);
    if (started.ok) {
      const forget = () => this.#forget(profile, controller);
      started.value.result.then(forget, forget);
    } else {
      this.#forget(profile, controller);
    }

    return started;
  }

  /** Cancels the sign-in running for `profile`; false when there is none. */
  cancel(profile: string, reason = 'Sign-in was cancelled.'): boolean {
    const controller = this.#running.get(profile);
    controller?.abort(reason);

    return controller !== undefined;
  }

  /** Whether a sign-in for `profile` is running. */
  isRunning(profile: string): boolean {
    return this.#running.has(profile);
  }

  /** Cancels every running sign-in, e.g. when the app quits. */
  cancelAll(): void {
    for (const profile of [...this.#running.keys()]) {
      this.cancel(profile);
    }
  }

  #forget(profile: string, controller: AbortController): void {
    if (this.#running.get(profile) === controller) {
      this.#running.delete(profile);
    }
  }
}
