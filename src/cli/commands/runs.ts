import type { Command } from 'commander';
import type { RunRecord } from '../../model/run.js';
import { action } from '../action.js';
import { withTenantBackend } from '../context.js';
import { EXIT } from '../errors.js';
import { printJson, printText } from '../output.js';
import { runSummary } from '../render.js';
import { renderTable } from '../table.js';
import { tablesWanted } from '../terminal.js';

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
          else if (tablesWanted(options)) printText(runsTable(records));
          else {
            for (const record of records) {
              printText(
                `${record.id}  ${record.createdAt}  ${record.status.padEnd(21)} ${record.mode.padEnd(11)} ${record.dryRun ? 'dry ' : ''}${applied(record)} applied, ${record.failureCount} failed`,
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
          else printText(runSummary(record, tablesWanted(options)));
          return EXIT.ok;
        });
      }),
    );
}

function applied(record: RunRecord): number {
  return Object.values(record.counts).reduce((sum, count) => sum + count.succeeded, 0);
}

function runsTable(records: readonly RunRecord[]): string {
  return renderTable(
    [
      { title: 'run' },
      { title: 'created' },
      { title: 'status' },
      { title: 'mode' },
      { title: 'applied', align: 'right' },
      { title: 'failed', align: 'right' },
      { title: 'took', align: 'right' },
    ],
    records.map((record) => [
      record.id,
      record.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      record.status,
      `${record.mode}${record.dryRun ? ' (dry)' : ''}`,
      String(applied(record)),
      String(record.failureCount),
      record.durationMs === undefined ? '-' : `${(record.durationMs / 1000).toFixed(1)} s`,
    ]),
  );
}
