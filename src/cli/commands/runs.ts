import type { Command } from 'commander';
import { action } from '../action.js';
import { withTenantBackend } from '../context.js';
import { EXIT } from '../errors.js';
import { printJson, printText } from '../output.js';
import { runSummary } from '../render.js';

export function registerRuns(program: Command): void {
  program
    .command('runs <tenant>')
    .description('run history of the tenant, newest first')
    .option('--limit <n>', 'how many runs', '20')
    .action(
      action(async (options, tenantId: string) => {
        return withTenantBackend(options, tenantId, async ({ backend }) => {
          const records = await backend.stores.runs.list(tenantId, Number(options.limit) || 20);
          if (options.json) printJson(records);
          else if (records.length === 0) printText(`no runs of ${tenantId} yet`);
          else {
            for (const record of records) {
              const changes = Object.values(record.counts).reduce((sum, count) => sum + count.succeeded, 0);
              printText(
                `${record.id}  ${record.createdAt}  ${record.status.padEnd(21)} ${record.mode.padEnd(11)} ${record.dryRun ? 'dry ' : ''}${changes} applied, ${record.failureCount} failed`,
              );
            }
          }
          return EXIT.ok;
        });
      }),
    );

  program
    .command('run <tenant> <runId>')
    .description('one run with its counts and failures')
    .action(
      action(async (options, tenantId: string, runId: string) => {
        return withTenantBackend(options, tenantId, async ({ backend }) => {
          const record = await backend.stores.runs.get(tenantId, runId);
          if (!record) {
            process.stderr.write(`no run ${runId} of ${tenantId}\n`);
            return EXIT.failed;
          }
          if (options.json) printJson(record);
          else printText(runSummary(record));
          return EXIT.ok;
        });
      }),
    );
}
