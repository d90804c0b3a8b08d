import { homedir } from 'node:os';
import pino from 'pino';
import { createRedactor, redactDeep } from './redact.js';

export type Logger = pino.Logger;

export interface LoggerOptions {
  level?: string;
  /** Where lines go; standard error when omitted. */
  destination?: pino.DestinationStream;
  homeDir?: string;
}

/**
 * The app's root logger. Every object and message passes through one redaction
 * step, so a token, a refresh token, a client secret or the home path cannot
 * reach a log line even when a caller passes one by mistake.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const redact = createRedactor(options.homeDir ?? homedir());

  return pino(
    {
      level: options.level ?? process.env.DOOVER_PROFILES_LOG_LEVEL ?? 'info',
      base: null,
      formatters: {
        log: (object) => redactDeep(object, redact) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) =>
            typeof arg === 'string' ? redact(arg) : arg,
          );
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination(2),
  );
}

/** A named child logger: its lines start with `[scope]`. */
export function scopedLogger(parent: Logger, scope: string): Logger {
  return parent.child({}, { msgPrefix: `[${scope}] ` });
}
