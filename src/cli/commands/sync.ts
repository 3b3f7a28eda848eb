import type { Command } from 'commander';
import type { RunRecord } from '../../model/run.js';
import { waitForRun } from '../../runs/requestRun.js';
import { triggerRun } from '../../service/runTrigger.js';
import { action } from '../action.js';
import { cliLogger } from '../cliLogger.js';
import { runInline, withTenantBackend, withTenantHere } from '../context.js';
import { EXIT } from '../errors.js';
import { exitCodeFor, printJson, printText } from '../output.js';
import { RunProgress } from '../progress.js';
import { runSummary } from '../render.js';
import { tablesWanted } from '../terminal.js';

export function registerSync(program: Command): void {
  program
    .command('sync <tenant>')
    .description('enqueue a run of the tenant')
    .option('--full', 'read the whole source instead of the changes since the last run')
    .option('--wait', 'follow the run to its end')
    .option('--inline', 'run it in this process (no service needed); implies --wait')
    .action(
      action(async (options, tenantId: string) => {
        return withTenantBackend(options, tenantId, async ({ tenant, backend }) => {
          const order = {
            mode: options.full ? 'full' : 'incremental',
            dryRun: false,
            trigger: 'cli',
          } as const;
          const progress = new RunProgress();
          let record: RunRecord;
          if (options.inline) {
            record = await withTenantHere(backend, tenant, cliLogger(), (here) =>
              runInline(backend, here, order, progress.update),
            );
          } else {
            const triggered = await triggerRun(backend, { ...order, tenant: tenant.id });
            record = triggered.run;
            if (!options.wait) {
              if (options.json)
                printJson({ runId: record.id, status: record.status, coalesced: triggered.coalesced });
              else if (triggered.coalesced)
                printText(`run ${record.id} will follow run ${triggered.behind}, now in flight`);
              else
                printText(`run ${record.id} queued; follow it with: dirsync run ${tenant.id} ${record.id}`);
              return EXIT.ok;
            }
            record = await waitForRun(backend.stores, tenant.id, record.id, progress.update);
          }
          progress.end();
          if (options.json) printJson(record);
          else printText(runSummary(record, tablesWanted(options)));
          return exitCodeFor(record);
        });
      }),
    );
}
