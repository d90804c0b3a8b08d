/** Seconds RFC 8628 adds to the polling interval after each `slow_down`. */
const SLOW_DOWN_STEP = 5;

/**
 * Enforces the device-flow polling interval, which oidc-provider does not:
 * a poll that comes sooner than the current interval after the previous one
 * is answered `slow_down`, and the interval for that code grows by 5 s.
 */
export class PollLimit {
  readonly #lastPoll = new Map<string, { at: number; interval: number }>();
  readonly #intervalSeconds: number;
  readonly #now: () => number;

  constructor(intervalSeconds: number, now: () => number = Date.now) {
    this.#intervalSeconds = intervalSeconds;
    this.#now = now;
  }

  /** Records a poll; true when it came too soon and must be slowed down. */
  tooSoon(deviceCode: string): boolean {
    const now = this.#now();
    const last = this.#lastPoll.get(deviceCode);
    const early = last !== undefined && now - last.at < last.interval * 1000;
    const interval =
      (last?.interval ?? this.#intervalSeconds) + (early ? SLOW_DOWN_STEP : 0);
    this.#lastPoll.set(deviceCode, { at: now, interval });

    return early;
  }
}
