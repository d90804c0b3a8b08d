import { chmod, mkdir, readFile, rename, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { fail, ok, type Result } from '../../../shared/result.js';
import type { Clock } from '../app-services.js';
import type { Logger } from '../logger.js';
import { formatSettingsText, parseSettingsText } from './settings-format.js';
import { defaultSettings, type AppSettings } from './settings-schema.js';

export const settingsFileName = 'settings.ini';

/** `<dataDir>/settings.ini`. */
export function settingsFilePath(dataDir: string): string {
  return join(dataDir, settingsFileName);
}

export interface SettingsFileOptions {
  /** The app's data folder; created with mode 0700 when missing. */
  dataDir: string;
  clock?: Clock;
  log?: Logger;
}

export type SettingsReadResult =
  | { status: 'ok'; settings: AppSettings }
  /** No file yet: defaults. */
  | { status: 'missing'; settings: AppSettings }
  /** The file was damaged and kept aside as `keptAs`; defaults are in use. */
  | { status: 'damaged'; settings: AppSettings; keptAs: string; message: string }
  /** The file exists but cannot be read or kept aside; defaults are in use and writes are refused. */
  | { status: 'unreadable'; settings: AppSettings; message: string };

/**
 * Reads the settings file. A damaged file (not text, not INI the app wrote, or
 * failing validation) is renamed to `settings.ini.damaged-<time>` and reported,
 * so a hand edit gone wrong is never silently replaced by defaults.
 */
export async function readSettings(
  options: SettingsFileOptions,
): Promise<SettingsReadResult> {
  const path = settingsFilePath(options.dataDir);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      return { status: 'missing', settings: defaultSettings() };
    }
    return unreadable(`The settings file could not be read (${errorCode(error)}).`);
  }

  const text = decodeUtf8(bytes);
  const parsed =
    text === null
      ? { ok: false as const, problems: ['it is not UTF-8 text'] }
      : parseSettingsText(text);
  if (parsed.ok) {
    return { status: 'ok', settings: parsed.settings };
  }

  options.log?.warn({ problems: parsed.problems }, 'settings file is damaged');
  return keepAside(path, parsed.problems, options);
}

/** Validates and writes the settings atomically (file 0600, folder 0700). */
export async function writeSettings(
  options: SettingsFileOptions,
  settings: AppSettings,
): Promise<Result<AppSettings>> {
  const text = formatSettingsText(settings);
  const checked = parseSettingsText(text);
  if (!checked.ok) {
    return fail(
      'bad-request',
      `These settings cannot be saved: ${summarize(checked.problems)}.`,
    );
  }

  try {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    await chmod(options.dataDir, 0o700);
    await writeFileAtomic(settingsFilePath(options.dataDir), text, { mode: 0o600 });
  } catch (error) {
    options.log?.warn({ code: errorCode(error) }, 'settings could not be written');
    return fail(
      'file-write-failed',
      `The settings could not be saved (${errorCode(error)}).`,
    );
  }

  return ok(checked.settings);
}

const pendingUpdates = new Map<string, Promise<unknown>>();

/**
 * Reads, changes and writes the settings. Updates to one file run one after
 * another, so two quick changes cannot undo each other.
 *
 * LIMITATION: two app processes (desktop and browser mode at once) do not
 * coordinate; the later write wins.
 */
export function updateSettings(
  options: SettingsFileOptions,
  change: (current: AppSettings) => AppSettings,
): Promise<Result<AppSettings>> {
  const path = settingsFilePath(options.dataDir);
  const previous = pendingUpdates.get(path) ?? Promise.resolve();
  const run = previous.then(() => readChangeWrite(options, change));
  // The queue waits for each update but never fails because of one.
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  pendingUpdates.set(path, tail);
  void tail.then(() => {
    if (pendingUpdates.get(path) === tail) {
      pendingUpdates.delete(path);
    }
  });

  return run;
}

async function readChangeWrite(
  options: SettingsFileOptions,
  change: (current: AppSettings) => AppSettings,
): Promise<Result<AppSettings>> {
  const current = await readSettings(options);
  if (current.status === 'unreadable') {
    return fail('file-unreadable', current.message);
  }

  return writeSettings(options, change(current.settings));
}

async function keepAside(
  path: string,
  problems: string[],
  options: SettingsFileOptions,
): Promise<SettingsReadResult> {
  const keptAs = await freeDamagedName(path, (options.clock ?? Date).now());
  try {
    await rename(path, keptAs);
  } catch (error) {
    return unreadable(
      `The settings file is damaged (${summarize(problems)}) and could not be moved aside (${errorCode(error)}). Default settings are in use and changes will not be saved until it is fixed or removed.`,
    );
  }

  return {
    status: 'damaged',
    settings: defaultSettings(),
    keptAs,
    message: `The settings file was damaged (${summarize(problems)}). It was kept as ${basename(keptAs)} and default settings are in use.`,
  };
}

async function freeDamagedName(path: string, now: number): Promise<string> {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  for (let attempt = 1; ; attempt += 1) {
    const candidate = `${path}.damaged-${stamp}${attempt > 1 ? `-${attempt}` : ''}`;
    if (!(await exists(candidate))) {
      return candidate;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function unreadable(message: string): SettingsReadResult {
  return { status: 'unreadable', settings: defaultSettings(), message };
}

function decodeUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

function summarize(problems: string[]): string {
  const shown = problems.slice(0, 3).join('; ');

  return problems.length > 3 ? `${shown}; and ${problems.length - 3} more` : shown;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;

  return typeof code === 'string' ? code : 'unknown error';
}
