import { createLogger, type Logger } from '../core/logger.js';

/**
 * The command line's log: quiet unless DOOVER_PROFILES_LOG_LEVEL asks for
 * lines (on standard error, never standard output, where scripts read a token).
 * Failures reach the user as one plain message instead.
 */
export function cliLogger(): Logger {
  return createLogger({ level: process.env.DOOVER_PROFILES_LOG_LEVEL ?? 'silent' });
}
