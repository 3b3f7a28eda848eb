import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Logger } from '../../observability/logger.js';
import { action } from '../action.js';
import { cliLogger } from '../cliLogger.js';
import { UsageError } from '../errors.js';

/** What `dirsync demo` hands the demo of a source checkout (test/demo/command.ts implements it). */
export interface DemoCommandOptions {
  readonly once: boolean;
  readonly logger: Logger;
  readonly print: (line: string) => void;
}

export type RunDemoCommand = (options: DemoCommandOptions) => Promise<number>;

/**
 * The demo, its emulators and the development CA are development code under test/: `npm run build`
 * leaves them out, the development build (`npm run build:dev`, which `npm run demo` runs) puts them
 * in dist/test/. The module is found at run time, not imported, so no production module depends on
 * test code (.dependency-cruiser.cjs) and a production build still knows the command.
 */
const DEMO_SEGMENTS = ['..', '..', '..', 'test', 'demo', 'command.js'];

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'everything on an embedded default: Redis, emulators, the service, a first sync of each demo tenant',
    )
    .option('--once', 'exit after the first syncs (0 when every run succeeded)')
    .action(
      action(async (options) => {
        const demoModule = new URL(DEMO_SEGMENTS.join('/'), import.meta.url);
        if (!existsSync(fileURLToPath(demoModule)))
          throw new UsageError(
            'the demo ships only with a source checkout of dirsync: run `npm run demo` there',
          );
        const { runDemoCommand } = (await import(demoModule.href)) as { runDemoCommand: RunDemoCommand };
        return runDemoCommand({
          once: Boolean(options.once),
          logger: cliLogger(),
          print: (line) => process.stdout.write(`${line}\n`),
        });
      }),
    );
}
