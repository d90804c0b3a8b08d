import { environmentOf } from '../../../shared/environments.js';
import {
  profileKeys,
  type PreservedBlock,
  type ProfileProblem,
  type ProfileSummary,
} from '../../../shared/profile-types.js';
import type {
  PreservedRecord,
  ProfileRecord,
  ProfilesDocument,
  RawBlockReason,
} from './codec.js';
import { effectiveExpiry, jwtIssuedAt } from './expiry.js';
import { joinedProfileNames } from './joined-profiles.js';
import { pythonRepr, pythonSplitLines, pythonStrip } from './python-text.js';

/** What the renderer and the command line may know of a profile: no secrets. */
export function summarizeProfile(
  record: ProfileRecord,
  document: ProfilesDocument,
): ProfileSummary {
  const joinedProfiles = joinedProfileNames(document, record.segmentIndexes);
  const field = (key: string) => nonEmpty(record.values.get(key));
  const token = field('TOKEN');
  const refreshToken = field('REFRESH_TOKEN');
  const fileSeconds = record.tokenExpires?.ok ? record.tokenExpires.seconds : null;
  const expiry = effectiveExpiry(fileSeconds, token);
  const urls = {
    authServerUrl: field('AUTH_SERVER_URL'),
    baseUrl: field('BASE_URL'),
    dataBaseUrl: field('BASE_DATA_URL'),
  };

  return {
    name: record.name,
    tokenExpires: fileSeconds,
    unreadableTokenExpires:
      record.tokenExpires?.ok === false ? (field('TOKEN_EXPIRES') ?? null) : null,
    expiresAt: expiry.expiresAt,
    expirySource: expiry.source,
    issuedAt: token === null ? null : jwtIssuedAt(token),
    agentId: field('AGENT_ID'),
    ...urls,
    authServerClientId: field('AUTH_SERVER_CLIENT_ID'),
    refreshTokenId: field('REFRESH_TOKEN_ID'),
    hasToken: token !== null,
    hasRefreshToken: refreshToken !== null,
    maskedToken: maskSecret(token),
    maskedRefreshToken: maskSecret(refreshToken),
    environment: environmentOf(urls),
    ignoredKeys: ignoredKeysOf(record),
    problems: problemsOf(record, joinedProfiles),
    joinedProfiles,
  };
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

/** First and last four characters; short secrets are hidden entirely. */
export function maskSecret(secret: string | null): string | null {
  if (secret === null) {
    return null;
  }
  return secret.length < 16 ? '••••••••' : `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}

const knownKeys = new Set<string>(profileKeys);

function ignoredKeysOf(record: ProfileRecord): string[] {
  return [...record.values.keys()].filter((key) => !knownKeys.has(key));
}

function problemsOf(record: ProfileRecord, joinedProfiles: string[]): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  if (joinedProfiles.length > 0) {
    problems.push(joinedProblem(joinedProfiles));
  }
  if (record.tokenExpires?.ok === false) {
    problems.push({
      key: 'TOKEN_EXPIRES',
      message:
        `TOKEN_EXPIRES cannot be read: ${record.tokenExpires.why}. Every doover command ` +
        'fails until it is repaired or cleared.',
    });
  }
  if (record.segmentIndexes.length > 1) {
    problems.push({
      key: null,
      message:
        `The file has ${record.segmentIndexes.length} profiles named ${pythonRepr(record.name)}. ` +
        "Doover's tools use the last one's values and drop the others when they next save the file.",
    });
  }
  problems.push(...keyProblemsOf(record));
  return problems;
}

const inWords = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

/** Profiles whose `[profile=…]` line runs on from this profile's keys. */
function joinedProblem(joinedProfiles: string[]): ProfileProblem {
  const names = inWords.format(joinedProfiles.map(pythonRepr));
  const [profiles, have, they] =
    joinedProfiles.length === 1 ? ['profile', 'has', 'it'] : ['profiles', 'have', 'them'];
  return {
    key: null,
    message:
      `The ${profiles} ${names} ${have} no blank line before ${they}, so Doover's tools ` +
      `read ${they} as part of this profile and do not see ${they}. Separate them ` +
      'before editing, renaming, copying or deleting this profile.',
  };
}

function keyProblemsOf(record: ProfileRecord): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  for (const [key] of record.values) {
    if (!knownKeys.has(key) && knownKeys.has(pythonStrip(key).toUpperCase())) {
      problems.push({
        key: null,
        message: `${pythonRepr(key)} is not ${pythonStrip(key).toUpperCase()} (check spaces and capitals), so it is ignored.`,
      });
    }
  }
  for (const key of ['BASE_URL', 'BASE_DATA_URL', 'AUTH_SERVER_URL'] as const) {
    const value = record.values.get(key) ?? '';
    if (value !== '' && pythonStrip(value) !== value) {
      problems.push({
        key,
        message: `${key} has spaces around it, which Doover's tools keep as part of the address.`,
      });
    }
  }
  return problems;
}

/** A block kept as it is, described without showing any value it holds. */
export function describePreservedBlock(record: PreservedRecord): PreservedBlock {
  const firstLine = pythonStrip(pythonSplitLines(record.text)[0] ?? '');
  return { label: labelOf(firstLine), reason: rawBlockReasonText(record.reason) };
}

function labelOf(firstLine: string): string {
  const visible = firstLine.replace(/^\ufeff/, '');
  if (/^\[profile=.*\]$/s.test(visible)) {
    return visible.length > 60 ? `${visible.slice(0, 59)}…` : visible;
  }
  const equals = visible.indexOf('=');
  if (equals >= 0) {
    return `${visible.slice(0, Math.min(equals, 40))}=…`;
  }
  return visible.length > 24 ? `${visible.slice(0, 12)}…` : visible;
}

/** Why pydoover does not read a block as a profile, in plain words. */
export function rawBlockReasonText(reason: RawBlockReason): string {
  switch (reason.kind) {
    case 'no-header':
      return reason.startsWithByteOrderMark
        ? 'It starts with an invisible byte-order mark, so its [profile=…] line is not recognised.'
        : 'It does not start with a [profile=NAME] line.';
    case 'empty-name':
      return 'Its profile name is empty.';
    case 'line-without-equals':
      return `Line ${reason.lineNumber} has no “=”, so it is not read as a profile.`;
    case 'doover1-credentials':
      return 'It is a Doover 1 sign-in (user name and password), which Doover 2 tools do not use.';
  }
}
