#!/usr/bin/env node
import { Command } from 'commander';
import { EXIT } from './errors.js';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs: BullMQ and the vendor SDKs take a
 * second or more to import, which `check-config` or `--help` should not pay.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  'check-config': async () => (await import('./commands/checkConfig.js')).registerCheckConfig,
  demo: async () => (await import('./commands/demo.js')).registerDemo,
  explain: async () => (await import('./commands/explain.js')).registerExplain,
  plan: async () => (await import('./commands/plan.js')).registerPlan,
  provision: async () => (await import('./commands/provision.js')).registerProvision,
  sync: async () => (await import('./commands/sync.js')).registerSync,
  runs: async () => (await import('./commands/runs.js')).registerRuns,
  run: async () => (await import('./commands/runs.js')).registerRuns,
  reset: async () => (await import('./commands/reset.js')).registerReset,
  start: async () => (await import('./commands/start.js')).registerStart,
  approve: async () => (await import('./commands/approve.js')).registerApprove,
  'test-connection': async () => (await import('./commands/testConnection.js')).registerTestConnection,
};

const program = new Command('dirsync')
  .description('pull-based directory reconciliation: Microsoft Graph, Okta or a file → a SCIM 2.0 platform')
  .option('--config <file>', 'configuration file (default $DIRSYNC_CONFIG, else config/dirsync.yaml)')
  .option('--json', 'machine output on stdout; logs stay on stderr')
  .exitOverride((error) => {
    // Bad usage exits 2 (README, "CLI"); --help and --version exit 0.
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  });

// The command named on the command line, or every command (for help and for unknown words).
const named = process.argv.slice(2).find((word) => Object.hasOwn(COMMANDS, word));
const loaders = named ? [COMMANDS[named]!] : [...new Set(Object.values(COMMANDS))];
const registered = new Set<Register>();
for (const register of await Promise.all(loaders.map((load) => load()))) {
  if (registered.has(register)) continue;
  registered.add(register);
  register(program);
}

await program.parseAsync(process.argv);
