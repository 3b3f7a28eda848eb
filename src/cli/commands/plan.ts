import type { Command } from 'commander';
import { action } from '../action.js';
import { cliLogger } from '../cliLogger.js';
import { runInline, withTenantBackend, withTenantHere } from '../context.js';
import { EXIT } from '../errors.js';
import { printJson, printText } from '../output.js';
import { RunProgress } from '../progress.js';
import { countsTable, describeOp, runSummary } from '../render.js';
import { tablesWanted } from '../terminal.js';

export function registerPlan(program: Command): void {
  program
    .command('plan <tenant>')
    .description('dry run: print the plan (counts and each op), change nothing')
    .option('--full', 'plan from a full read instead of the changes since the last run')
    .action(
      action(async (options, tenantId: string) => {
        return withTenantBackend(options, tenantId, async ({ tenant, backend }) => {
          const mode = options.full ? 'full' : 'incremental';
          const progress = new RunProgress();
          const record = await withTenantHere(backend, tenant, cliLogger(), (here) =>
            runInline(backend, here, { mode, dryRun: true, trigger: 'cli' }, progress.update),
          );
          progress.end();
          const tables = tablesWanted(options);
          const ops = record.plan?.ops ?? [];
          const counts: Record<string, { planned: number; succeeded: number; failed: number }> = {};
          for (const op of ops) {
            const entry = counts[op.kind] ?? { planned: 0, succeeded: 0, failed: 0 };
            entry.planned++;
            counts[op.kind] = entry;
          }
          if (options.json) {
            printJson({
              runId: record.id,
              status: record.status,
              mode: record.mode,
              held: record.heldReason ?? null,
              counts,
              ops,
              problems: record.plan?.problems ?? [],
              error: record.error ?? null,
            });
          } else if (record.error) {
            printText(runSummary(record, tables));
          } else {
            printText(
              `plan for ${tenant.id} (${record.mode}${record.fallbackReason ? `: ${record.fallbackReason}` : ''}): ${ops.length} op(s)`,
            );
            printText(countsTable(counts, tables));
            for (const op of ops) printText(`  ${describeOp(op)}`);
            for (const problem of record.plan?.problems ?? [])
              printText(`  problem: ${problem.objectType} ${problem.externalId}: ${problem.reason}`);
            if (record.heldReason) printText(`  a real run would be HELD: ${record.heldReason}`);
          }
          return record.error ? EXIT.failed : EXIT.ok;
        });
      }),
    );
}
