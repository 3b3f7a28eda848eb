import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { RunDemoCommand } from '../../src/cli/commands/demo.js';
import { ensureDevCertificates } from '../support/devCertificates.js';

/** `dirsync demo` in a source checkout: trusts the development CA, then runs the demo. */
export const runDemoCommand: RunDemoCommand = async (options) => {
  const certificates = ensureDevCertificates(resolve('.tmp/tls'));
  // The SDKs read NODE_EXTRA_CA_CERTS once, at start-up: the demo runs in a child that has it.
  if (process.env.NODE_EXTRA_CA_CERTS !== certificates.caFile) return relaunchTrusting(certificates.caFile);
  const { runDemo } = await import('./demo.js');
  return runDemo({ ...options, certificates });
};

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
