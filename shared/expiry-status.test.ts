import { describe, expect, it } from 'vitest';
import {
  describeExpiry,
  EXPIRING_SOON_SECONDS,
  formatCountdown,
  formatDateTime,
  formatDuration,
} from './expiry-status.js';

// 2026-01-03 13:50:00 UTC, a fixed "now" for every case.
const NOW_MS = Date.UTC(2026, 0, 3, 13, 50, 0);
const NOW_S = NOW_MS / 1000;
const utc = { locale: 'en-GB', timeZone: 'UTC' };

describe('describeExpiry', () => {
  it('says "No token" when the profile has none, whatever the expiry', () => {
    expect(describeExpiry(NOW_S + 600, false, NOW_MS, utc)).toEqual({
      state: 'no-token',
      words: 'No token',
      countdown: null,
    });
  });

  it('says "Expiry unknown" for a token without a known expiry', () => {
    expect(describeExpiry(null, true, NOW_MS, utc)).toEqual({
      state: 'unknown',
      words: 'Expiry unknown',
      countdown: null,
    });
    expect(describeExpiry(Number.NaN, true, NOW_MS, utc).state).toBe('unknown');
  });

  it('gives minutes left and the local clock time for a valid token', () => {
    const status = describeExpiry(NOW_S + 42 * 60, true, NOW_MS, utc);

    expect(status).toEqual({
      state: 'valid',
      words: 'Valid, expires in 42 min (14:32)',
      countdown: '42:00',
    });
  });

  it('uses the given time zone for the clock time', () => {
    const sydney = { locale: 'en-GB', timeZone: 'Australia/Sydney' };

    expect(describeExpiry(NOW_S + 42 * 60, true, NOW_MS, sydney).words).toBe(
      'Valid, expires in 42 min (1:32)',
    );
  });

  it('adds the date when the token expires on another day', () => {
    const status = describeExpiry(NOW_S + 2 * 86_400 + 3600, true, NOW_MS, utc);

    expect(status.words).toBe('Valid, expires in 2 d (5 Jan, 14:50)');
    expect(status.countdown).toBe('2 d 01:00:00');
  });

  it('counts down whole seconds, rounding up so 0:00 is the moment of expiry', () => {
    expect(describeExpiry(NOW_S + 3600, true, NOW_MS + 500, utc).countdown).toBe(
      '1:00:00',
    );
    expect(describeExpiry(NOW_S + 3600, true, NOW_MS + 1000, utc).countdown).toBe(
      '59:59',
    );
  });

  it('says "Expires soon" with the countdown within five minutes', () => {
    const status = describeExpiry(NOW_S + 4 * 60 + 12, true, NOW_MS, utc);

    expect(status).toEqual({
      state: 'expiring',
      words: 'Expires soon, in 4 min 12 s (13:54)',
      countdown: '4:12',
    });
  });

  it('puts the five-minute mark itself in "Expires soon" and one second more in "Valid"', () => {
    const atMark = NOW_S + EXPIRING_SOON_SECONDS;

    expect(describeExpiry(atMark, true, NOW_MS, utc).words).toBe(
      'Expires soon, in 5 min (13:55)',
    );
    expect(describeExpiry(atMark + 1, true, NOW_MS, utc).state).toBe('valid');
  });

  it('gives seconds alone in the last minute', () => {
    expect(describeExpiry(NOW_S + 9, true, NOW_MS, utc).words).toBe(
      'Expires soon, in 9 s (13:50)',
    );
  });

  it('says how long ago a token expired', () => {
    expect(describeExpiry(NOW_S - 3 * 3600 - 120, true, NOW_MS, utc)).toEqual({
      state: 'expired',
      words: 'Expired 3 h ago',
      countdown: null,
    });
  });

  it('treats the exact moment of expiry as expired', () => {
    expect(describeExpiry(NOW_S, true, NOW_MS, utc).words).toBe('Expired 0 s ago');
  });

  it('accepts fractional expiry seconds as pydoover writes them', () => {
    expect(describeExpiry(NOW_S + 90.82031, true, NOW_MS, utc).countdown).toBe('1:31');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [59, '59 s'],
    [60, '1 min'],
    [42 * 60 + 59, '42 min'],
    [3600, '1 h'],
    [3 * 3600 + 3599, '3 h'],
    [86_400, '1 d'],
    [2 * 86_400 + 7200, '2 d'],
    [-5, '0 s'],
  ])('%d s reads "%s"', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('formatCountdown', () => {
  it.each([
    [0, '0:00'],
    [5, '0:05'],
    [4 * 60 + 12, '4:12'],
    [3600 + 2 * 60 + 3, '1:02:03'],
    [2 * 86_400 + 3 * 3600 + 4 * 60 + 5, '2 d 03:04:05'],
  ])('%d s reads "%s"', (seconds, expected) => {
    expect(formatCountdown(seconds)).toBe(expected);
  });
});

describe('formatDateTime', () => {
  it('gives the full date, time and zone', () => {
    expect(formatDateTime(1_767_450_725, utc)).toBe('3 Jan 2026, 14:32:05 UTC');
  });
});
