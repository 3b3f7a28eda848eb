import { createLogger, type Logger } from '../observability/logger.js';
import { readableLogStream } from './logLines.js';
import { colorOn, isTerminal } from './terminal.js';

/** The CLI's logger: on stderr, since stdout is for the command's answer; readable at a terminal, JSON lines otherwise. */
export function cliLogger(): Logger {
  const level = process.env.DIRSYNC_LOG_LEVEL ?? 'warn';
  if (!isTerminal(process.stderr)) return createLogger({ destination: 2, level });
  return createLogger({ level, stream: readableLogStream(process.stderr, colorOn(process.stderr)) });
}
