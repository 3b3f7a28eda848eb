import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Paths that may carry credentials anywhere in a log object. Secrets are also `Secret` objects
 * that serialise as `[redacted]`; this is the second line of defence for raw headers and bodies.
 */
const REDACTED_PATHS = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  // An HTTP client's error carries the request it sent: response.request.headers, config.headers.
  '*.*.headers.authorization',
  '*.*.headers.Authorization',
  'token',
  '*.token',
  'clientSecret',
  '*.clientSecret',
  'privateKey',
  '*.privateKey',
  'password',
  '*.password',
];

export interface LoggerOptions {
  readonly level?: string;
  /** Logs go to stderr when stdout carries machine output (`--json`). */
  readonly destination?: 1 | 2;
  /** In place of `destination`: where the JSON lines go, e.g. a formatter for a terminal. */
  readonly stream?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.DIRSYNC_LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'dirsync' },
    },
    options.stream ?? pino.destination({ fd: options.destination ?? 2, sync: false }),
  );
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
