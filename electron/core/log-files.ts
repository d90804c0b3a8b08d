import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createLogger, type Logger, type LoggerOptions } from './logger.js';

/** The folder holding the app's logs, inside its data folder. */
export function logsDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

/** The current log file: `<dataDir>/logs/app.log`. */
export function logFilePath(dataDir: string): string {
  return join(logsDir(dataDir), 'app.log');
}

export interface LogRotation {
  /** app.log is rotated when it is larger than this. */
  maxBytes: number;
  /** How many earlier files are kept: app.1.log (newest) to app.N.log. */
  keep: number;
}

export const defaultLogRotation: LogRotation = { maxBytes: 5 * 1024 * 1024, keep: 3 };

/**
 * Moves app.log to app.1.log (and app.1.log to app.2.log, and so on) when it
 * has grown past the limit; the oldest file is dropped. Returns whether it did.
 *
 * LIMITATION: the size is checked only when the app starts, so a run that
 * lasts weeks can grow app.log past the limit until the next start. A rolling
 * stream (pino-roll) would rotate while the app runs.
 */
export function rotateLogFiles(
  dir: string,
  rotation: LogRotation = defaultLogRotation,
): boolean {
  const current = join(dir, 'app.log');
  if (fileSize(current) <= rotation.maxBytes) {
    return false;
  }

  rmSync(join(dir, `app.${rotation.keep}.log`), { force: true });
  for (let index = rotation.keep - 1; index >= 1; index -= 1) {
    renameIfPresent(join(dir, `app.${index}.log`), join(dir, `app.${index + 1}.log`));
  }
  if (rotation.keep > 0) {
    renameIfPresent(current, join(dir, 'app.1.log'));
  } else {
    rmSync(current, { force: true });
  }
  return true;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * app.log, opened for appending after rotating. Writes are synchronous: the
 * app logs little, and a line written just before a crash or `app.exit` must
 * not be lost. The folder and files are private to the user.
 */
export function openLogFile(
  dataDir: string,
  rotation: LogRotation = defaultLogRotation,
): pino.DestinationStream {
  const dir = logsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  rotateLogFiles(dir, rotation);

  return pino.destination({ dest: join(dir, 'app.log'), sync: true, mode: 0o600 });
}

export interface FileLoggerOptions extends Omit<LoggerOptions, 'destination'> {
  rotation?: LogRotation;
}

/**
 * The app's logger, writing to `<dataDir>/logs/app.log`. Every line passes the
 * central redaction of createLogger first, so no token or home path reaches
 * the file. Only the one running copy of the app may call this: it rotates.
 */
export function createFileLogger(
  dataDir: string,
  options: FileLoggerOptions = {},
): Logger {
  const { rotation, ...loggerOptions } = options;
  return createLogger({ ...loggerOptions, destination: openLogFile(dataDir, rotation) });
}
