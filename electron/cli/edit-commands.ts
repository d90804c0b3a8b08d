import {
  profileKeys,
  type ProfileFieldChanges,
  type ProfileKey,
} from '../../shared/profile-types.js';
import type { Result } from '../../shared/result.js';
import type { Clock } from '../core/app-services.js';
import { HistoryStore } from '../core/history/history-store.js';
import { createKeychain, type Keychain } from '../core/keychain/keychain.js';
import type { Logger } from '../core/logger.js';
import { parsePythonFloat } from '../core/profiles-file/python-float.js';
import type { ProfilePatch } from '../core/profiles-file/patch.js';
import { applyPatchToFile } from '../core/profiles-file/write-profiles-file.js';
import { ProfileEntries } from '../core/tokens/profile-entries.js';
import { SettingsStore } from '../core/tokens/settings-store.js';
import type { CommandOutput } from './list-command.js';
import { withSeparateCommand } from './separate-hint.js';

/** Exit code for an edit the app refuses (bad name, bad value, no such profile). */
export const refusedExitCode = 2;

export interface EditContext {
  path: string;
  dataDir: string;
  /**
   * True when `path` is not the app's own ~/.doover/config: the edit then
   * keeps its replaced versions apart and leaves the app's settings and
   * keychain entries, which belong to the app's file, alone.
   */
  otherFile?: boolean;
  clock: Clock;
  log: Logger;
  /** The OS keychain; keytar's when omitted. */
  keychain?: Keychain;
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
  const output = await runPatch(context, {
    kind: 'update',
    profile: name,
    fields,
    createIfMissing: true,
  });
  return withSeparateCommand(context.path, [name], output);
}

/**
 * `rename OLD NEW`: in the app's own file, the profile's keychain entry and
 * the app's settings of it follow it to the new name, as when renaming in the app.
 */
export async function runRenameCommand(context: EditContext, from: string, to: string) {
  const rename = () => patchFile(context, { kind: 'rename', profile: from, newName: to });
  const result =
    context.otherFile === true
      ? await rename()
      : await (await profileEntries(context)).rename({ name: from, newName: to }, rename);

  if (!result.ok && result.error.code === 'conflict') {
    // The window offers to replace; the command line leaves that to a delete.
    return refused(
      `A profile named '${to}' already exists. Delete it first (delete ${to}), or choose another name.`,
    );
  }
  return withSeparateCommand(context.path, [from, to], output(result));
}

/**
 * `delete NAME`: in the app's own file, the profile's keychain entry and the
 * app's settings of it go too. LIMITATION: the command line has no undo; restoring the file from the
 * app's history brings the profile back without its keychain sign-in.
 */
export async function runDeleteCommand(context: EditContext, name: string) {
  const remove = () => patchFile(context, { kind: 'delete', profile: name });
  const result =
    context.otherFile === true
      ? await remove()
      : await (await profileEntries(context)).delete(name, remove, () => null);

  return withSeparateCommand(context.path, [name], output(result));
}

/**
 * `separate NAME`: a blank line before each profile that starts inside NAME
 * with none, and no other change, so Doover's tools read each on its own.
 */
export async function runSeparateCommand(context: EditContext, name: string) {
  return runPatch(context, { kind: 'separate-joined', profile: name });
}

/** The app's own code that keeps keychain entries and settings with their profile. */
async function profileEntries(context: EditContext): Promise<ProfileEntries> {
  const settings = new SettingsStore(context.dataDir, context.log);
  await settings.load();

  return new ProfileEntries({
    keychain: context.keychain ?? createKeychain({ log: context.log }),
    settings,
    profilesPath: context.path,
    clock: context.clock,
    log: context.log,
  });
}

/** The same patch code the app uses: locked, atomic, kept in the app's history. */
async function runPatch(
  context: EditContext,
  patch: ProfilePatch,
): Promise<CommandOutput> {
  return output(await patchFile(context, patch));
}

async function patchFile(context: EditContext, patch: ProfilePatch) {
  const history = new HistoryStore({
    dataDir: context.dataDir,
    log: context.log,
    ...(context.otherFile === true ? { otherFile: context.path } : {}),
  });
  const result = await applyPatchToFile(context.path, patch, {
    clock: context.clock,
    log: context.log,
    history,
  });
  // The command's process ends next: the kept version must be written first.
  await history.settled();
  return result;
}

function output(result: Result<{ description: string }>): CommandOutput {
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
  for (const [index, assignment] of assignments.entries()) {
    const equals = assignment.indexOf('=');
    const key = equals < 0 ? assignment : assignment.slice(0, equals);
    const problem = knownKeys.has(key)
      ? equals < 0
        ? `Give ${key} a value: ${key}=VALUE (or ${key}= to unset it).`
        : assign(fields, key as ProfileKey, assignment.slice(equals + 1))
      : unknownKeyMessage(key, equals < 0, index + 1);
    if (problem !== null) {
      return problem;
    }
  }
  return fields;
}

/**
 * Why an argument is not KEY=VALUE. It is not repeated back unless it looks
 * like a key name: a token pasted in the wrong place must not be printed.
 */
function unknownKeyMessage(key: string, hasNoEquals: boolean, position: number): string {
  const keys = `Use one of: ${profileKeys.join(', ')}.`;
  if (/^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(key)) {
    return hasNoEquals
      ? `Change ${position} (“${key}”) is not KEY=VALUE, such as BASE_URL=https://api.doover.com. ${keys}`
      : `“${key}” is not a profile key. ${keys}`;
  }
  return hasNoEquals
    ? `Change ${position} is not KEY=VALUE (for example BASE_URL=https://api.doover.com). ${keys}`
    : `Change ${position} does not start with a profile key. ${keys}`;
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
