import type { Clock } from '../app-services.js';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface DeadlineQueueOptions<Key> {
  clock: Clock;
  timers: Timers;
  /** Called with every key whose deadline has passed. */
  onDue(keys: Key[]): void;
  /** Called when the wall clock moved further than the timer waited (sleep, clock change). */
  onClockJump(jumpMs: number): void;
  /**
   * The longest single wait. Timers count monotonic time, which stops while
   * the computer sleeps, so a long wait would fire long after its wall-clock
   * deadline; short waits notice a wake-up quickly. Also keeps every wait under
   * setTimeout's limit (about 24.8 days).
   */
  maxWaitMs?: number;
  /** How far the wall clock may run ahead of a wait before it counts as a jump. */
  jumpToleranceMs?: number;
}

/**
 * One timer for any number of deadlines. Deadlines are wall-clock instants and
 * are checked against the clock again whenever the timer fires, so a changed
 * clock or a sleep never makes a deadline fire early or be forgotten.
 */
export class DeadlineQueue<Key> {
  readonly #options: Required<DeadlineQueueOptions<Key>>;
  readonly #deadlines = new Map<Key, number>();
  #timer: unknown = undefined;
  #armedAt = 0;
  #armedForMs = 0;
  #stopped = false;

  constructor(options: DeadlineQueueOptions<Key>) {
    this.#options = { maxWaitMs: 30_000, jumpToleranceMs: 10_000, ...options };
  }

  /** Timers currently armed: 1 while any deadline is pending, else 0. */
  get armedTimers(): number {
    return this.#timer === undefined ? 0 : 1;
  }

  get size(): number {
    return this.#deadlines.size;
  }

  set(key: Key, atMs: number): void {
    this.#deadlines.set(key, atMs);
    this.#rearm();
  }

  delete(key: Key): void {
    this.#deadlines.delete(key);
    this.#rearm();
  }

  deadlineOf(key: Key): number | undefined {
    return this.#deadlines.get(key);
  }

  stop(): void {
    this.#stopped = true;
    this.#disarm();
  }

  #rearm(): void {
    this.#disarm();
    if (this.#stopped || this.#deadlines.size === 0) {
      return;
    }
    const now = this.#options.clock.now();
    const wait = Math.max(0, Math.min(this.#earliest() - now, this.#options.maxWaitMs));
    this.#armedAt = now;
    this.#armedForMs = wait;
    this.#timer = this.#options.timers.setTimeout(() => this.#fire(), wait);
  }

  #disarm(): void {
    if (this.#timer !== undefined) {
      this.#options.timers.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #fire(): void {
    this.#timer = undefined;
    const now = this.#options.clock.now();
    const jump = now - this.#armedAt - this.#armedForMs;
    if (Math.abs(jump) > this.#options.jumpToleranceMs) {
      this.#options.onClockJump(jump);
    }

    const due = [...this.#deadlines].filter(([, at]) => at <= now).map(([key]) => key);
    for (const key of due) {
      this.#deadlines.delete(key);
    }
    if (due.length > 0) {
      this.#options.onDue(due);
    }
    this.#rearm();
  }

  #earliest(): number {
    let earliest = Infinity;
    for (const at of this.#deadlines.values()) {
      earliest = Math.min(earliest, at);
    }
    return earliest;
  }
}
