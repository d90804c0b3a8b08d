import { describeExpiry } from '../../shared/expiry-status.js';
import type { ConfigSnapshot, ProfileSummary } from '../../shared/profile-types.js';
import { readProfilesFile } from '../core/profiles-file/read-profiles-file.js';
import { buildSnapshot } from '../core/profiles-file/snapshot.js';

export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Exit code for a profiles file that exists but cannot be read. */
export const unreadableFileExitCode = 2;

/** `list [--json]`: every profile in file order, never a secret. */
export async function runListCommand(
  path: string,
  options: { json: boolean; nowMs: number },
): Promise<CommandOutput> {
  const reading = await readProfilesFile(path);
  const snapshot = buildSnapshot(path, reading, options.nowMs);
  if (snapshot.file.status === 'unreadable') {
    const message = `Cannot read ${path}: ${snapshot.file.cause}\n${snapshot.file.remedy}\n`;
    return { stdout: '', stderr: message, exitCode: unreadableFileExitCode };
  }

  if (options.json) {
    return {
      stdout: `${JSON.stringify(listAsJson(snapshot), null, 2)}\n`,
      stderr: '',
      exitCode: 0,
    };
  }
  return { stdout: listAsTable(snapshot, options.nowMs), stderr: '', exitCode: 0 };
}

function listAsJson(snapshot: ConfigSnapshot) {
  return {
    profiles: snapshot.profiles.map((profile) => ({
      name: profile.name,
      tokenExpires: profile.tokenExpires,
      expiresAt: profile.expiresAt,
      expirySource: profile.expirySource,
      agentId: profile.agentId,
      baseUrl: profile.baseUrl,
      dataBaseUrl: profile.dataBaseUrl,
      authServerUrl: profile.authServerUrl,
      authServerClientId: profile.authServerClientId,
      refreshTokenId: profile.refreshTokenId,
      hasToken: profile.hasToken,
      hasRefreshToken: profile.hasRefreshToken,
      problems: profile.problems.map((problem) => problem.message),
    })),
    preservedBlocks: snapshot.preservedBlocks.length,
  };
}

function listAsTable(snapshot: ConfigSnapshot, nowMs: number): string {
  if (snapshot.file.status === 'missing') {
    return `No profiles file at ${snapshot.path} yet. Sign in with the app or \`doover login\`.\n`;
  }
  const rows = snapshot.profiles.map((profile) => tableRow(profile, nowMs));
  const header = ['NAME', 'ENVIRONMENT', 'STATUS', 'PROBLEMS'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const lines = [header, ...rows].map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const kept = snapshot.preservedBlocks.length;
  if (kept > 0) {
    lines.push(
      '',
      `${kept} ${kept === 1 ? 'entry' : 'entries'} this app does not manage ${kept === 1 ? 'is' : 'are'} kept as ${kept === 1 ? 'it is' : 'they are'}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function tableRow(profile: ProfileSummary, nowMs: number): string[] {
  const status = describeExpiry(profile.expiresAt, profile.hasToken, nowMs);
  const problems = profile.problems.length === 0 ? '' : String(profile.problems.length);
  return [printable(profile.name), profile.environment.label, status.words, problems];
}

/** Profile names may hold control characters; a terminal should not act on them. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, '�');
}
