#!/usr/bin/env node
import { Command } from 'commander';
import { registerApprove } from './commands/approve.js';
import { registerCheckConfig } from './commands/checkConfig.js';
import { registerDemo } from './commands/demo.js';
import { registerPlan } from './commands/plan.js';
import { registerProvision } from './commands/provision.js';
import { registerReset } from './commands/reset.js';
import { registerRuns } from './commands/runs.js';
import { registerStart } from './commands/start.js';
import { registerSync } from './commands/sync.js';
import { registerTestConnection } from './commands/testConnection.js';
import { EXIT } from './errors.js';

const program = new Command('dirsync')
  .description('pull-based directory reconciliation: Microsoft Graph, Okta or a file → a SCIM 2.0 platform')
  .option('--config <file>', 'configuration file (default $DIRSYNC_CONFIG, else config/dirsync.yaml)')
  .option('--json', 'machine output on stdout; logs stay on stderr')
  .exitOverride((error) => {
    // Bad usage exits 2 (SPEC §4); --help and --version exit 0.
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  });

registerCheckConfig(program);
registerDemo(program);
registerPlan(program);
registerProvision(program);
registerSync(program);
registerRuns(program);
registerReset(program);
registerStart(program);
registerApprove(program);
registerTestConnection(program);

await program.parseAsync(process.argv);
