import { formatDuration } from '../../../shared/expiry-status.js';
import type { Clock } from '../app-services.js';

/** When a request went out and came back, and the server's `Date` header. */
export interface ServerTime {
  /** The server's `Date` header in milliseconds since the epoch, or null. */
  serverDate: number | null;
  /** Local clock when the request was sent, in milliseconds. */
  sentAt: number;
  /** Local clock when the answer arrived, in milliseconds. */
  receivedAt: number;
}

/** Clocks further apart than this are reported and corrected for. */
export const SKEW_THRESHOLD_MS = 60_000;

/** The server's time and the local time at one moment. */
export interface SkewSample {
  serverTimeMs: number;
  localTimeMs: number;
  /** Read from a new token's `iat` rather than from a `Date` header. */
  fromToken: boolean;
}

/** How long a token's `iat` outranks `Date` headers. */
const TOKEN_SAMPLE_PRECEDENCE_MS = 10 * 60_000;

/**
 * What one answer says about the server's clock: its `Date` header, or with
 * `issuedAtMs` a new token's `iat`. Both are whole seconds, so half a second
 * is added; the local time is the middle of the round trip.
 */
export function skewSample(
  serverTime: ServerTime,
  issuedAtMs: number | null = null,
): SkewSample | null {
  const server = issuedAtMs ?? serverTime.serverDate;
  if (server === null) {
    return null;
  }

  return {
    serverTimeMs: server + 500,
    localTimeMs: (serverTime.sentAt + serverTime.receivedAt) / 2,
    fromToken: issuedAtMs !== null,
  };
}

/** "Your computer's clock is 6 min behind", or null when within a minute. */
export function describeSkew(skewMs: number): string | null {
  if (Math.abs(skewMs) <= SKEW_THRESHOLD_MS) {
    return null;
  }

  const direction = skewMs > 0 ? 'behind' : 'ahead';

  return `Your computer's clock is ${formatDuration(roundedSeconds(Math.abs(skewMs)))} ${direction}`;
}

/** Rounds to the unit the duration is told in, so 5 min 50 s reads "6 min". */
function roundedSeconds(ms: number): number {
  const seconds = ms / 1000;
  const unit =
    seconds >= 86_400 ? 86_400 : seconds >= 3600 ? 3600 : seconds >= 60 ? 60 : 1;

  return Math.round(seconds / unit) * unit;
}

/**
 * Keeps the latest estimate of how far the auth server's clock is from the
 * local one. It is itself a Clock: the local time, corrected by the skew once
 * that exceeds a minute, so plans are made in the server's time.
 */
export class ClockSkewTracker implements Clock {
  readonly #clock: Clock;
  readonly #listeners = new Set<(words: string | null) => void>();
  #skewMs = 0;
  #lastTokenSampleAt = Number.NEGATIVE_INFINITY;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Server time minus local time in milliseconds (positive: the local clock is behind). */
  get skewMs(): number {
    return this.#skewMs;
  }

  /** The skew in words when it exceeds a minute, else null. */
  get words(): string | null {
    return describeSkew(this.#skewMs);
  }

  /**
   * Takes a new sample; the latest one wins. Requests are timed with this
   * tracker's own corrected clock, so the correction in force is added back:
   * without it each sample would measure only what the last one missed, and
   * the estimate would swing between the skew and nothing.
   */
  observe(sample: SkewSample | null): void {
    if (sample === null) {
      return;
    }
    // Tokens are planned by their own times, so the clock that issued them is
    // the one to follow: a `Date` header may come from a proxy in front of
    // the auth server, with a clock of its own.
    const local = this.#clock.now();
    if (sample.fromToken) {
      this.#lastTokenSampleAt = local;
    } else if (local - this.#lastTokenSampleAt < TOKEN_SAMPLE_PRECEDENCE_MS) {
      return;
    }

    const before = this.words;
    this.#skewMs = sample.serverTimeMs - sample.localTimeMs + this.#correctionMs();
    const after = this.words;
    if (after !== before) {
      for (const listener of this.#listeners) {
        listener(after);
      }
    }
  }

  /** Calls `listener` when the words change (null once the clocks agree again). */
  onChange(listener: (words: string | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A time of this clock as the computer's own clock tells it, for showing to the user. */
  toLocal(ms: number): number {
    return ms - this.#correctionMs();
  }

  /** The local time, corrected when the clocks differ by more than a minute. */
  now(): number {
    return this.#clock.now() + this.#correctionMs();
  }

  #correctionMs(): number {
    return Math.abs(this.#skewMs) > SKEW_THRESHOLD_MS ? this.#skewMs : 0;
  }
}
