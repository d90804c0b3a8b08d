import { dooverClientId, dooverEnvironments } from '../shared/environments';
import type { ProfileFieldChanges, ProfileSummary } from '../shared/profile-types';

/**
 * The rules and conversions behind the profile forms, as pure functions. Main
 * checks every change again before it writes; these checks only let the form
 * explain a problem next to the field before anything is sent.
 */

// Python's own blanks and line breaks: pydoover strips and splits names with them.
const pythonBlank =
  '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const blankAtEitherEnd = new RegExp(`^[${pythonBlank}]|[${pythonBlank}]$`);
// eslint-disable-next-line no-control-regex -- these control characters are line breaks to Python
const pythonLineBreak = /[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Why Doover's tools could not read this profile name back as typed, or null. */
export function profileNameProblem(name: string): string | null {
  if (name === '') {
    return 'A profile needs a name.';
  }
  if (pythonLineBreak.test(name)) {
    return 'A profile name cannot contain a line break: Doover’s tools would read it as two lines.';
  }
  if (blankAtEitherEnd.test(name)) {
    return 'A profile name cannot start or end with a space: Doover’s tools would drop it and read another name.';
  }

  return null;
}

/** Why a server address cannot be used, or null. Empty is fine unless `required`. */
export function urlProblem(value: string, required = false): string | null {
  if (value === '') {
    return required ? 'Enter a web address starting with https://.' : null;
  }
  if (blankAtEitherEnd.test(value)) {
    return 'Remove the space at the start or end of the address.';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a web address such as https://api.doover.com.';
  }
  if (
    !/^https?:\/\//i.test(value) ||
    (url.protocol !== 'https:' && url.protocol !== 'http:')
  ) {
    return 'The address must start with https:// (or http://).';
  }
  if (url.username !== '' || url.password !== '') {
    return 'Leave the user name and password out of the address.';
  }

  return null;
}

// <input type="datetime-local"> text: seconds and milliseconds are optional.
const localDateTime =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** POSIX seconds as the text of a datetime-local input, in local time, to the second. */
export function secondsToLocalInput(seconds: number): string {
  const date = new Date(Math.floor(seconds) * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const day = `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The POSIX seconds of a datetime-local input's text (local time), or null if it is not one. */
export function localInputToSeconds(text: string): number | null {
  const match = localDateTime.exec(text);
  if (match === null) {
    return null;
  }
  const part = (index: number) => Number(match[index] ?? '0');
  const [year, month, day] = [part(1), part(2), part(3)];
  const milliseconds = Number((match[7] ?? '0').padEnd(3, '0'));
  const date = new Date(2000, 0, 1);
  // setFullYear, because the Date constructor reads years below 100 as 19xx.
  date.setFullYear(year, month - 1, day);
  date.setHours(part(4), part(5), part(6), milliseconds);
  // Year 0 does not exist for Python, and "02-31" must not roll over into March.
  if (year === 0 || date.getMonth() !== month - 1 || date.getDate() !== day) {
    return null;
  }

  return date.getTime() / 1000;
}

/** The fields the edit form shows as plain text, as the file names them. */
export const plainTextKeys = [
  'AGENT_ID',
  'BASE_URL',
  'REFRESH_TOKEN_ID',
  'BASE_DATA_URL',
  'AUTH_SERVER_URL',
  'AUTH_SERVER_CLIENT_ID',
] as const;

export type PlainTextKey = (typeof plainTextKeys)[number];

export const urlKeys = new Set<PlainTextKey>([
  'BASE_URL',
  'BASE_DATA_URL',
  'AUTH_SERVER_URL',
]);

/** What the edit form holds: plain fields as text, the expiry as datetime-local text. */
export type ProfileFormValues = Record<PlainTextKey, string> & { TOKEN_EXPIRES: string };

/** A secret the form can replace or remove; it never shows the current value. */
export interface SecretEdit {
  /** A new value pasted by the user; empty keeps the current one. */
  replacement: string;
  remove: boolean;
}

export const keepSecret: SecretEdit = { replacement: '', remove: false };

/** The form's starting values for a profile; unset fields are empty. */
export function formValuesOf(profile: ProfileSummary): ProfileFormValues {
  return {
    AGENT_ID: profile.agentId ?? '',
    BASE_URL: profile.baseUrl ?? '',
    REFRESH_TOKEN_ID: profile.refreshTokenId ?? '',
    BASE_DATA_URL: profile.dataBaseUrl ?? '',
    AUTH_SERVER_URL: profile.authServerUrl ?? '',
    AUTH_SERVER_CLIENT_ID: profile.authServerClientId ?? '',
    TOKEN_EXPIRES:
      profile.tokenExpires === null ? '' : secondsToLocalInput(profile.tokenExpires),
  };
}

export type FormProblems = Partial<Record<keyof ProfileFormValues, string>>;

/** What is wrong with the form's values, field by field. */
export function formProblems(values: ProfileFormValues): FormProblems {
  const problems: FormProblems = {};
  for (const key of urlKeys) {
    const problem = urlProblem(values[key]);
    if (problem !== null) {
      problems[key] = problem;
    }
  }
  if (values.TOKEN_EXPIRES !== '' && localInputToSeconds(values.TOKEN_EXPIRES) === null) {
    problems.TOKEN_EXPIRES = 'Enter a date and time, or leave it empty to unset it.';
  }

  return problems;
}

/**
 * Only what the user changed, so saving writes nothing else: a token another
 * program renewed while the form was open stays as that program wrote it.
 */
export function changedFields(
  initial: ProfileFormValues,
  current: ProfileFormValues,
  secrets: { token: SecretEdit; refreshToken: SecretEdit },
): ProfileFieldChanges {
  const changes: ProfileFieldChanges = {};
  for (const key of plainTextKeys) {
    if (current[key] !== initial[key]) {
      changes[key] = current[key];
    }
  }
  // Compared as times: browsers may write the same time in a shorter form.
  const expires = expirySeconds(current.TOKEN_EXPIRES);
  if (expires !== expirySeconds(initial.TOKEN_EXPIRES)) {
    changes.TOKEN_EXPIRES = expires;
  }
  const token = secretChange(secrets.token);
  if (token !== undefined) {
    changes.TOKEN = token;
  }
  const refreshToken = secretChange(secrets.refreshToken);
  if (refreshToken !== undefined) {
    changes.REFRESH_TOKEN = refreshToken;
  }

  return changes;
}

function expirySeconds(text: string): number | null {
  return text === '' ? null : localInputToSeconds(text);
}

function secretChange(edit: SecretEdit): string | undefined {
  if (edit.remove) {
    return '';
  }

  return edit.replacement === '' ? undefined : edit.replacement;
}

/** "Copy of default", or "Copy of default (2)" and so on when that name is taken. */
export function suggestedCopyName(name: string, taken: ReadonlySet<string>): string {
  const base = `Copy of ${name}`;
  let candidate = base;
  for (let number = 2; taken.has(candidate); number += 1) {
    candidate = `${base} (${number})`;
  }

  return candidate;
}

export type EnvironmentChoice = 'production' | 'staging' | 'custom';

/** The server fields a new profile gets. */
export type ServerFields = Pick<
  ProfileFormValues,
  'AUTH_SERVER_URL' | 'BASE_URL' | 'BASE_DATA_URL' | 'AUTH_SERVER_CLIENT_ID'
>;

export const emptyServerFields: ServerFields = {
  AUTH_SERVER_URL: '',
  BASE_URL: '',
  BASE_DATA_URL: '',
  AUTH_SERVER_CLIENT_ID: '',
};

/** The addresses and client id of a Doover environment, or the ones typed for Custom. */
export function serverFieldsFor(
  choice: EnvironmentChoice,
  custom: ServerFields,
): ServerFields {
  const environment = dooverEnvironments.find((known) => known.id === choice);
  if (environment === undefined) {
    return custom;
  }

  return {
    AUTH_SERVER_URL: environment.authServerUrl,
    BASE_URL: environment.baseUrl,
    BASE_DATA_URL: environment.dataBaseUrl,
    AUTH_SERVER_CLIENT_ID: dooverClientId,
  };
}

/** The fields of a new profile: its servers, and the tokens if any were pasted. */
export function newProfileFields(
  servers: ServerFields,
  tokens: { token: string; refreshToken: string },
): ProfileFieldChanges {
  const fields: ProfileFieldChanges = {};
  for (const [key, value] of Object.entries(servers) as [keyof ServerFields, string][]) {
    if (value !== '') {
      fields[key] = value;
    }
  }
  if (tokens.token !== '') {
    fields.TOKEN = tokens.token;
  }
  if (tokens.refreshToken !== '') {
    fields.REFRESH_TOKEN = tokens.refreshToken;
  }

  return fields;
}
