/**
 * How a profile's token expiry reads to a person: a state, a sentence and a
 * live countdown. Pure functions of their arguments, so the renderer and the
 * command line word it the same way and tests can pin the time.
 */

export type ExpiryState = 'valid' | 'expiring' | 'expired' | 'no-token' | 'unknown';

export interface ExpiryStatus {
  state: ExpiryState;
  /** A complete sentence, e.g. "Valid, expires in 42 min (14:32)". */
  words: string;
  /** Time left as a clock ("41:59", "1:02:03", "2 d 03:04:05"), or null when nothing counts down. */
  countdown: string | null;
}

/** Locale and time zone used for clock times; both default to the system's. */
export interface ExpiryFormat {
  locale?: string;
  timeZone?: string;
}

/** A token this close to its expiry is shown as "Expires soon". */
export const EXPIRING_SOON_SECONDS = 5 * 60;

/** The state alone, in words: what a screen reader hears when it changes. */
export const expiryStateLabels: Record<ExpiryState, string> = {
  valid: 'Valid',
  expiring: 'Expires soon',
  expired: 'Expired',
  'no-token': 'No token',
  unknown: 'Expiry unknown',
};

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Describes a token's expiry (`expiresAt` in POSIX seconds) as seen at `nowMs`. */
export function describeExpiry(
  expiresAt: number | null,
  hasToken: boolean,
  nowMs: number,
  format: ExpiryFormat = {},
): ExpiryStatus {
  if (!hasToken) {
    return { state: 'no-token', words: expiryStateLabels['no-token'], countdown: null };
  }
  if (expiresAt === null || !Number.isFinite(expiresAt)) {
    return { state: 'unknown', words: expiryStateLabels.unknown, countdown: null };
  }

  const remainingMs = expiresAt * 1000 - nowMs;
  if (remainingMs <= 0) {
    const agoSeconds = Math.floor(-remainingMs / 1000);
    return {
      state: 'expired',
      words: `Expired ${formatDuration(agoSeconds)} ago`,
      countdown: null,
    };
  }

  // Rounded up, so the countdown reaches 0:00 exactly when the token expires.
  const remainingSeconds = Math.ceil(remainingMs / 1000);
  const at = formatClockTime(expiresAt, nowMs, format);
  const countdown = formatCountdown(remainingSeconds);
  if (remainingSeconds <= EXPIRING_SOON_SECONDS) {
    const left = formatMinutesAndSeconds(remainingSeconds);
    return { state: 'expiring', words: `Expires soon, in ${left} (${at})`, countdown };
  }

  return {
    state: 'valid',
    words: `Valid, expires in ${formatDuration(remainingSeconds)} (${at})`,
    countdown,
  };
}

/** A duration in its largest whole unit, rounded down: "45 s", "42 min", "3 h", "2 d". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  if (whole < MINUTE) {
    return `${whole} s`;
  }
  if (whole < HOUR) {
    return `${Math.floor(whole / MINUTE)} min`;
  }
  if (whole < DAY) {
    return `${Math.floor(whole / HOUR)} h`;
  }

  return `${Math.floor(whole / DAY)} d`;
}

/** Seconds as a clock: "4:05", "1:02:03", "2 d 03:04:05". */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const days = Math.floor(whole / DAY);
  const hours = Math.floor((whole % DAY) / HOUR);
  const minutes = Math.floor((whole % HOUR) / MINUTE);
  const secs = whole % MINUTE;
  if (days > 0) {
    return `${days} d ${pad(hours)}:${pad(minutes)}:${pad(secs)}`;
  }
  if (hours > 0) {
    return `${hours}:${pad(minutes)}:${pad(secs)}`;
  }

  return `${minutes}:${pad(secs)}`;
}

/** POSIX seconds as a full local date and time with its zone, e.g. "3 Jan 2026, 14:32:05 UTC". */
export function formatDateTime(seconds: number, format: ExpiryFormat = {}): string {
  return formatter('date-time', format).format(seconds * 1000);
}

function formatMinutesAndSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / MINUTE);
  const secs = seconds % MINUTE;
  if (minutes === 0) {
    return `${secs} s`;
  }

  return secs === 0 ? `${minutes} min` : `${minutes} min ${secs} s`;
}

/** "14:32" for today, with the date added when the expiry falls on another day. */
function formatClockTime(seconds: number, nowMs: number, format: ExpiryFormat): string {
  const day = formatter('day', format);
  const sameDay = day.format(seconds * 1000) === day.format(nowMs);

  return formatter(sameDay ? 'time' : 'day-time', format).format(seconds * 1000);
}

type FormatterKind = 'day' | 'time' | 'day-time' | 'date-time';

const formatterOptions: Record<FormatterKind, Intl.DateTimeFormatOptions> = {
  day: { year: 'numeric', month: '2-digit', day: '2-digit' },
  time: { hour: 'numeric', minute: '2-digit' },
  'day-time': { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  'date-time': {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  },
};

// Building an Intl.DateTimeFormat is costly and rows format every second.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: FormatterKind, format: ExpiryFormat): Intl.DateTimeFormat {
  const cacheKey = `${kind}|${format.locale ?? ''}|${format.timeZone ?? ''}`;
  let cached = formatters.get(cacheKey);
  if (cached === undefined) {
    const options = { ...formatterOptions[kind] };
    if (format.timeZone !== undefined) {
      options.timeZone = format.timeZone;
    }
    cached = new Intl.DateTimeFormat(format.locale, options);
    formatters.set(cacheKey, cached);
  }

  return cached;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
