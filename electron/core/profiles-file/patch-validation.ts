import {
  profileKeys,
  type ProfileFieldChanges,
  type TextProfileKey,
} from '../../../shared/profile-types.js';
import { readBlock } from './codec.js';
import { roundTripThroughDatetime } from './python-float.js';
import { pythonStrip } from './python-text.js';

/**
 * What the app refuses to write, because pydoover would read it back as
 * something other than what the user typed. Each check answers with the
 * reason in plain words, or null when the value is fine.
 */

/** Every character Python's `str.splitlines()` breaks a line at. */
// eslint-disable-next-line no-control-regex -- these control characters are line breaks to Python
const pythonLineBreak = /[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/;

const urlKeys = new Set<string>(['BASE_URL', 'BASE_DATA_URL', 'AUTH_SERVER_URL']);

/** Each field as the window names it, with its file key for those who typed KEY=VALUE. */
const fieldNames: Record<TextProfileKey | 'TOKEN_EXPIRES', string> = {
  TOKEN: 'The token (TOKEN)',
  TOKEN_EXPIRES: 'The expiry (TOKEN_EXPIRES)',
  AGENT_ID: 'The agent ID (AGENT_ID)',
  BASE_URL: 'The control API address (BASE_URL)',
  REFRESH_TOKEN: 'The refresh token (REFRESH_TOKEN)',
  REFRESH_TOKEN_ID: 'The refresh token ID (REFRESH_TOKEN_ID)',
  BASE_DATA_URL: 'The data API address (BASE_DATA_URL)',
  AUTH_SERVER_URL: 'The auth server address (AUTH_SERVER_URL)',
  AUTH_SERVER_CLIENT_ID: 'The client ID (AUTH_SERVER_CLIENT_ID)',
};

/**
 * Blanks and control characters, anywhere. Tokens and ids never hold them;
 * pydoover strips nothing, so one pasted with a space would be sent with it.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const blankOrControl = /[\s\x00-\x1f\x7f-\x9f\u200b\ufeff]/;

/** Why pydoover could not read this profile name back as written, or null. */
export function profileNameProblem(name: string): string | null {
  if (name === '') {
    return 'A profile needs a name.';
  }
  if (pythonLineBreak.test(name)) {
    return 'A profile name cannot contain a line break.';
  }
  if (pythonStrip(name) !== name) {
    return 'A profile name cannot start or end with a space or another blank character.';
  }

  // The header pydoover looks for, read back by the same rules it uses.
  const reading = readBlock(`[profile=${name}]\n`);
  if (reading.kind !== 'profile' || reading.name !== name) {
    return 'Doover’s tools would not read this name back as it is written.';
  }
  return null;
}

/** Why one of these new field values cannot be written, or null. */
export function fieldChangesProblem(changes: ProfileFieldChanges): string | null {
  for (const key of profileKeys) {
    const problem =
      key === 'TOKEN_EXPIRES'
        ? expiryProblem(changes.TOKEN_EXPIRES)
        : textProblem(key, changes[key]);
    if (problem !== null) {
      return problem;
    }
  }
  return null;
}

function textProblem(key: TextProfileKey, value: string | undefined): string | null {
  if (value === undefined || value === '') {
    return null;
  }
  const field = fieldNames[key];
  if (pythonLineBreak.test(value)) {
    return `${field} cannot contain a line break.`;
  }
  if (urlKeys.has(key)) {
    return urlProblem(field, value);
  }
  if (/^bearer\s/i.test(value)) {
    return `${field} is the token alone: leave out the word “Bearer”.`;
  }
  if (blankOrControl.test(value)) {
    return `${field} cannot contain spaces, tabs or other invisible characters; paste it again without them.`;
  }
  return null;
}

function urlProblem(field: string, value: string): string | null {
  if (pythonStrip(value) !== value) {
    return `${field} cannot start or end with a space.`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${field} must be a web address such as https://api.doover.com.`;
  }
  // The URL parser forgives `https:api.doover.com`; Doover's tools may not.
  if (
    !/^https?:\/\//i.test(value) ||
    (url.protocol !== 'https:' && url.protocol !== 'http:')
  ) {
    return `${field} must start with https:// (or http://).`;
  }
  if (url.username !== '' || url.password !== '') {
    return `${field} cannot hold a user name or password: the file is read by other programs and shown on screen.`;
  }
  return null;
}

function expiryProblem(seconds: number | null | undefined): string | null {
  if (seconds === undefined || seconds === null) {
    return null;
  }
  if (roundTripThroughDatetime(seconds) === null) {
    return `${fieldNames.TOKEN_EXPIRES} must be a date between the years 1 and 9999.`;
  }
  return null;
}
