import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ensureDevCertificates } from '../../../test/support/devCertificates.js';
import { action } from '../action.js';
import { cliLogger } from '../cliLogger.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'everything on an embedded default: Redis, emulators, the service, a first sync of each demo tenant',
    )
    .option('--once', 'exit after the first syncs (0 when every run succeeded)')
    .action(
      action(async (options) => {
        const certificates = ensureDevCertificates(resolve('.tmp/tls'));
        // The SDKs read NODE_EXTRA_CA_CERTS once, at start-up: the demo runs in a child that has it.
        if (process.env.NODE_EXTRA_CA_CERTS !== certificates.caFile)
          return relaunchTrusting(certificates.caFile);
        const { runDemo } = await import('../../../test/demo/demo.js');
        return runDemo({
          once: Boolean(options.once),
          certificates,
          logger: cliLogger(),
          print: (line) => process.stdout.write(`${line}\n`),
        });
      }),
    );
}

function relaunchTrusting(caFile: string): Promise<number> {
  return new Promise((exited) => {
    const child = spawn(process.execPath, process.argv.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
    });
    // The child handles Ctrl-C itself; this process only waits for it.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.on('exit', (code) => exited(code ?? 1));
  });
}
