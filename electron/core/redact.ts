/**
 * The one redaction pass every log line goes through. It hides anything shaped
 * like a token (JWTs, long opaque strings such as refresh tokens and client
 * secrets) and replaces the home folder with `~`, so a log can be shared.
 */

const jwtLike = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
// Opaque credentials: 24 or more URL-safe characters with at least one digit.
// Words, paths and profile names rarely qualify; hex ids of that length do, which
// is an accepted loss in a log.
const opaqueLike = /(?<![A-Za-z0-9_/.-])(?=[A-Za-z0-9_~+/=-]*\d)[A-Za-z0-9_~+/=-]{24,}/g;

export function createRedactor(homeDir: string): (text: string) => string {
  const home = homeDir.length > 1 ? homeDir : null;

  return (text) => {
    let result = text.replace(jwtLike, '[token]').replace(opaqueLike, '[secret]');
    if (home !== null) {
      result = result.split(home).join('~');
    }
    return result;
  };
}

/** Applies `redact` to every string inside a JSON-like value. */
export function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') {
    return redact(value);
  }
  if (Array.isArray(value)) {
    return value.map((item) => redactDeep(item, redact));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]),
    );
  }
  return value;
}
