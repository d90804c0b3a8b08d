/** Waits `ms` milliseconds; rejects with the signal's reason when it is aborted first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The real wait, built on the global `setTimeout` so that tests with fake
 * timers control it too.
 */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Resolves with `work`'s value, or with `onAbort()` as soon as `signal` is
 * aborted. The work itself goes on: other callers may be sharing it.
 */
export function whileNotAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort: () => T,
): Promise<T> {
  if (signal === undefined) {
    return work;
  }
  if (signal.aborted) {
    return Promise.resolve(onAbort());
  }

  return new Promise<T>((resolve, reject) => {
    const abort = () => resolve(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** Runs at most one `work` per key at a time; callers of a running key share its promise. */
export class SingleFlight<T> {
  readonly #flights = new Map<string, Promise<T>>();

  /** The running flight for `key`, or a new one started with `work`. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#flights.get(key);
    if (running !== undefined) {
      return running;
    }

    const flight = Promise.resolve()
      .then(work)
      .finally(() => {
        if (this.#flights.get(key) === flight) {
          this.#flights.delete(key);
        }
      });
    this.#flights.set(key, flight);

    return flight;
  }

  /** Whether a flight for `key` is running. */
  isRunning(key: string): boolean {
    return this.#flights.has(key);
  }
}
