import { pythonRepr, pythonStrip } from './python-text.js';

/**
 * TOKEN_EXPIRES the way pydoover reads and writes it: Python's `float()` on the
 * text, then `datetime.fromtimestamp(value, tz=utc)`, then `.timestamp()` and
 * `str()` when it writes the file back.
 */

/** Python's float literal grammar (digits already mapped to ASCII). */
const decimalLiteral =
  /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const specialLiteral = /^([+-]?)(inf|infinity|nan)$/i;

// The datetime range, 0001-01-01 to 9999-12-31 UTC, in POSIX seconds.
const firstSecond = -62135596800;
const afterLastSecond = 253402300800;

export type ExpiryReading =
  { ok: true; seconds: number } | { ok: false; pythonError: string; why: string };

/** Python's `float(text)`, or null where Python raises ValueError. */
export function parsePythonFloat(text: string): number | null {
  const ascii = unicodeDigitsToAscii(pythonStrip(text));
  const special = specialLiteral.exec(ascii);
  if (special !== null) {
    const sign = special[1] === '-' ? -1 : 1;
    return special[2]?.toLowerCase() === 'nan' ? Number.NaN : sign * Infinity;
  }
  if (!decimalLiteral.test(ascii)) {
    return null;
  }

  return Number(ascii.replaceAll('_', ''));
}

/**
 * Reads a non-empty TOKEN_EXPIRES as pydoover does. Where pydoover raises (and
 * with it every `doover` command), says why in plain words instead.
 */
export function readTokenExpires(text: string): ExpiryReading {
  const value = parsePythonFloat(text);
  if (value === null) {
    return {
      ok: false,
      pythonError: `ValueError: could not convert string to float: ${pythonRepr(text)}`,
      why: `${pythonRepr(text)} is not a number of seconds`,
    };
  }
  if (Number.isNaN(value)) {
    return {
      ok: false,
      pythonError: 'ValueError: Invalid value NaN (not a number)',
      why: 'it is "not a number"',
    };
  }

  const seconds = roundTripThroughDatetime(value);
  if (seconds === null) {
    return {
      ok: false,
      pythonError: 'OverflowError: timestamp out of range',
      why: 'it is outside the dates pydoover can handle (years 1 to 9999)',
    };
  }
  return { ok: true, seconds };
}

/**
 * `datetime.fromtimestamp(value, utc).timestamp()`: rounds to whole microseconds
 * (half to even, as CPython does), or null outside the datetime range.
 */
export function roundTripThroughDatetime(value: number): number | null {
  if (!Number.isFinite(value)) {
    return null;
  }
  let whole = Math.trunc(value);
  let micros = roundHalfEven((value - whole) * 1e6);
  if (micros >= 1e6) {
    micros -= 1e6;
    whole += 1;
  } else if (micros < 0) {
    micros += 1e6;
    whole -= 1;
  }
  if (whole < firstSecond || whole >= afterLastSecond) {
    return null;
  }

  // LIMITATION: exact while whole * 1e6 stays below 2^53 (until about the year
  // 2255); later timestamps may differ from Python in the last digit.
  return (whole * 1e6 + micros) / 1e6;
}

/** Python's `str(float)`: shortest round-trip digits, `.0` on whole numbers. */
export function formatPythonFloat(value: number): string {
  if (Number.isNaN(value)) {
    return 'nan';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? 'inf' : '-inf';
  }
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);

  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return sign + positionalDigits(digits, exponent);
}

function positionalDigits(digits: string, exponent: number): string {
  if (exponent < 0) {
    return `0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${whole}.${fraction === '' ? '0' : fraction}`;
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const difference = value - floor;
  if (difference > 0.5) {
    return floor + 1;
  }
  if (difference < 0.5) {
    return floor;
  }
  return floor % 2 === 0 ? floor : floor + 1;
}

const unicodeDigit = /\p{Nd}/gu;
// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
const asciiOnly = /^[\x00-\x7f]*$/;

/** Python accepts any Unicode decimal digit in `float()`; map them to 0-9. */
function unicodeDigitsToAscii(text: string): string {
  // Nearly every value is plain ASCII, and the Unicode scan is the slow part.
  if (asciiOnly.test(text)) {
    return text;
  }
  return text.replace(unicodeDigit, (digit) => String(unicodeDigitValue(digit)));
}

// Unicode lays decimal digits out as runs of 0..9, so a digit's value is its
// distance from the start of its run, modulo 10.
function unicodeDigitValue(digit: string): number {
  let code = digit.codePointAt(0) ?? 0;
  let offset = 0;
  while (/\p{Nd}/u.test(String.fromCodePoint(code - 1))) {
    code -= 1;
    offset += 1;
  }
  return offset % 10;
}
