/**
 * Keeps any text intact through the `ini` package. That package reads dots in
 * section names as nesting, ends a section name at `]`, cuts values at `;` and
 * `#`, trims both, and turns a bare `true`, `false` or `null` into another type.
 * So every character outside a plain set (letters, digits, marks, space and a
 * few harmless signs) is written as `%XX` per UTF-8 byte, `%` itself included,
 * as are a leading or trailing space and the first letter of those three words.
 * Plain names and labels stay readable (`[profile:dv2-staging]`).
 */

const plainValueCharacter = /^[\p{L}\p{M}\p{N} _\-.,:/@()+!*~&?]$/u;
// Section names also escape the dot, which `ini` would read as nesting.
const plainNameCharacter = /^[\p{L}\p{M}\p{N} _\-,:/@()+!*~&?]$/u;

/** Text as a value the `ini` package reads back unchanged. */
export function encodeIniValue(text: string): string {
  return encode(text, plainValueCharacter);
}

/** Text as a section-name part the `ini` package reads back unchanged. */
export function encodeIniName(text: string): string {
  return encode(text, plainNameCharacter);
}

/**
 * The text an encoded value or name stands for. A `%` that does not start a
 * valid escape (a hand-edited file) is kept as it is.
 */
export function decodeIniText(encoded: string): string {
  return encoded.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function encode(text: string, plain: RegExp): string {
  let encoded = '';
  for (const character of text) {
    encoded += plain.test(character) ? character : percentEncode(character);
  }
  encoded = encoded.replace(/^ | $/g, '%20');

  return /^(true|false|null)$/.test(encoded)
    ? percentEncode(encoded.charAt(0)) + encoded.slice(1)
    : encoded;
}

function percentEncode(character: string): string {
  return [...Buffer.from(character, 'utf8')]
    .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('');
}
