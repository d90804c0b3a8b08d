import {
  profileKeys,
  type ProfileFieldChanges,
  type ProfileKey,
} from '../../shared/profile-types.js';
import type { Clock } from '../core/app-services.js';
import { HistoryStore } from '../core/history/history-store.js';
import type { Logger } from '../core/logger.js';
import { parsePythonFloat } from '../core/profiles-file/python-float.js';
import type { ProfilePatch } from '../core/profiles-file/patch.js';
import { applyPatchToFile } from '../core/profiles-file/write-profiles-file.js';
import type { CommandOutput } from './list-command.js';

/** Exit code for an edit the app refuses (bad name, bad value, no such profile). */
export const refusedExitCode = 2;

export interface EditContext {
  path: string;
  dataDir: string;
  clock: Clock;
  log: Logger;
}

const knownKeys = new Set<string>(profileKeys);

/**
 * `set NAME KEY=VALUE...`: file keys such as BASE_URL=..., creating the
 * profile when it is missing. An empty value unsets the key.
 */
export async function runSetCommand(
  context: EditContext,
  name: string,
  assignments: readonly string[],
): Promise<CommandOutput> {
  const fields = parseAssignments(assignments);
  if (typeof fields === 'string') {
    return refused(fields);
  }
  return runPatch(context, {
    kind: 'update',
    profile: name,
    fields,
    createIfMissing: true,
  });
}

/** `rename OLD NEW`. */
export function runRenameCommand(context: EditContext, from: string, to: string) {
  return runPatch(context, { kind: 'rename', profile: from, newName: to });
}

/** `delete NAME`. */
export function runDeleteCommand(context: EditContext, name: string) {
  return runPatch(context, { kind: 'delete', profile: name });
}

/** The same patch code the app uses: locked, atomic, kept in the app's history. */
async function runPatch(
  context: EditContext,
  patch: ProfilePatch,
): Promise<CommandOutput> {
  const history = new HistoryStore({ dataDir: context.dataDir, log: context.log });
  const result = await applyPatchToFile(context.path, patch, {
    clock: context.clock,
    log: context.log,
    history,
  });
  if (!result.ok) {
    return refused(result.error.message);
  }

  return { stdout: `${result.value.description}\n`, stderr: '', exitCode: 0 };
}

function parseAssignments(assignments: readonly string[]): ProfileFieldChanges | string {
  if (assignments.length === 0) {
    return 'Give at least one KEY=VALUE, for example BASE_URL=https://api.doover.com.';
  }
  const fields: ProfileFieldChanges = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    const key = assignment.slice(0, equals);
    if (equals < 0 || !knownKeys.has(key)) {
      return `“${equals < 0 ? assignment : key}” is not a profile key. Use one of: ${profileKeys.join(', ')}.`;
    }
    const problem = assign(fields, key as ProfileKey, assignment.slice(equals + 1));
    if (problem !== null) {
      return problem;
    }
  }
  return fields;
}

function assign(
  fields: ProfileFieldChanges,
  key: ProfileKey,
  value: string,
): string | null {
  if (key !== 'TOKEN_EXPIRES') {
    fields[key] = value;
    return null;
  }
  if (value === '') {
    fields.TOKEN_EXPIRES = null;
    return null;
  }
  const seconds = parsePythonFloat(value);
  if (seconds === null || !Number.isFinite(seconds)) {
    return `TOKEN_EXPIRES must be a number of seconds since 1970, like 1767225600.`;
  }
  fields.TOKEN_EXPIRES = seconds;
  return null;
}

function refused(message: string): CommandOutput {
  return { stdout: '', stderr: `${message}\n`, exitCode: refusedExitCode };
}
