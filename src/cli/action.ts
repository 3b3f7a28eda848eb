import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { UpstreamError, upstreamAnswer } from '../model/upstream.js';
import { startTracing, stopTracing } from '../observability/tracing.js';
import { describeError } from '../runs/errors.js';
import type { GlobalOptions } from './context.js';
import { EXIT, UsageError } from './errors.js';
import { printJson } from './output.js';

type Handler<A extends unknown[]> = (
  options: GlobalOptions & Record<string, unknown>,
  ...args: A
) => Promise<number>;

/**
 * Wraps a command: its answer decides the exit code; a bad configuration or bad usage exits 2
 * with every problem named by its path; anything else exits 1 with its reason.
 */
export function action<A extends unknown[]>(
  handler: Handler<A>,
): (...args: [...A, Record<string, unknown>, Command]) => Promise<void> {
  return async (...args) => {
    const command = args.at(-1) as Command;
    const options = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    const positional = args.slice(0, -2) as unknown as A;
    let code: number;
    try {
      // `start` names its role; every other command is the CLI's.
      await startTracing({
        role: typeof options.role === 'string' ? options.role : 'cli',
        command: command.name(),
      });
      code = await handler(options, ...positional);
    } catch (error) {
      code = report(error, options.json ?? false);
    } finally {
      await stopTracing();
    }
    process.exitCode = code;
  };
}

function report(error: unknown, json: boolean): number {
  if (error instanceof ConfigError) {
    if (json) printJson({ ok: false, problems: error.problems });
    for (const problem of error.problems) process.stderr.write(`${problem}\n`);
    return EXIT.usage;
  }
  const reason = describeError(error);
  if (json)
    printJson(
      error instanceof UpstreamError ? { ok: false, ...upstreamAnswer(error) } : { ok: false, error: reason },
    );
  process.stderr.write(`error: ${reason}\n`);
  return error instanceof UsageError ? EXIT.usage : EXIT.failed;
}
