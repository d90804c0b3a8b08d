import { isUtf8 } from 'node:buffer';

/**
 * Python's own notions of whitespace and line breaks, which differ from
 * JavaScript's: pydoover strips and splits with them, so the app must too.
 * (JavaScript trims U+FEFF and does not split at U+001C..U+001E or U+0085.)
 */

const whitespaceClass =
  '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const leadingWhitespace = new RegExp(`^[${whitespaceClass}]+`);
const trailingWhitespace = new RegExp(`[${whitespaceClass}]+$`);
const notWhitespace = new RegExp(`[^${whitespaceClass}]`);

/** The line breaks of `str.splitlines()`. */
// eslint-disable-next-line no-control-regex -- these control characters are line breaks to Python
const lineBreak = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/;
/** Line breaks other than `\n`: most files have none, and then a plain split is enough. */
const unusualLineBreaks = [...'\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029'];

/** True when `text` splits into lines at `\n` only (a string search is much quicker than a regex here). */
function breaksOnlyAtNewline(text: string): boolean {
  return !unusualLineBreaks.some((lineBreak) => text.includes(lineBreak));
}

/** `str.strip()` with no arguments. */
export function pythonStrip(text: string): string {
  return text.replace(leadingWhitespace, '').replace(trailingWhitespace, '');
}

/** `str.strip() == ''`, without building the stripped text. */
export function isPythonBlank(text: string): boolean {
  return !notWhitespace.test(text);
}

/** `str.splitlines()`: no trailing empty line when the text ends with a break. */
export function pythonSplitLines(text: string): string[] {
  const lines = breaksOnlyAtNewline(text) ? text.split('\n') : text.split(lineBreak);
  if (lines.at(-1) === '') {
    lines.pop();
  }
  return lines;
}

/** What Python's universal-newlines reading does to `\r\n` and a lone `\r`. */
export function toUniversalNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** `repr(str)` as Python prints it inside an error message. */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const char of text) {
    body += reprChar(char, quote);
  }
  return quote + body + quote;
}

function reprChar(char: string, quote: string): string {
  const named: Record<string, string> = {
    '\\': '\\\\',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
  };
  const known = named[char];
  if (known !== undefined) {
    return known;
  }
  if (char === quote) {
    return `\\${char}`;
  }
  const code = char.codePointAt(0) ?? 0;
  if (/[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(char) || char === ' ') {
    return char;
  }
  if (code < 0x100) {
    return `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return code < 0x10000
    ? `\\u${code.toString(16).padStart(4, '0')}`
    : `\\U${code.toString(16).padStart(8, '0')}`;
}

/**
 * The file's bytes as Python's strict UTF-8 decoding reads them, or null where
 * Python would raise: a byte-order mark stays part of the text.
 */
export function decodeUtf8AsPython(bytes: Buffer): string | null {
  return isUtf8(bytes) ? bytes.toString('utf8') : null;
}
