import type { GlobalOptions } from './context.js';

/** A person reads this stream: a terminal that understands cursor movement. */
export function isTerminal(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && process.env.TERM !== 'dumb';
}

/** Colour on a terminal, unless NO_COLOR asks for none (https://no-color.org). */
export function colorOn(stream: NodeJS.WriteStream): boolean {
  return isTerminal(stream) && !process.env.NO_COLOR;
}

/**
 * Results as tables for a person at a terminal; piped, the plain lines scripts already parse, and
 * with `--json` the JSON, both as they always were.
 */
export function tablesWanted(options: GlobalOptions): boolean {
  return !options.json && isTerminal(process.stdout);
}
