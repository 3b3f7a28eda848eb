import type { Command } from 'commander';
import type { RunRecord } from '../../model/run.js';
import { requestOf } from '../../runs/requestRun.js';
import { type ApprovalOutcome, approveHeldRun, approveThroughQueue } from '../../service/approval.js';
import { wireTenant } from '../../service/compositionRoot.js';
import { action } from '../action.js';
import { cliLogger } from '../cliLogger.js';
import { followRun, withTenantBackend } from '../context.js';
import { EXIT } from '../errors.js';
import { exitCodeFor, printJson, printText } from '../output.js';
import { RunProgress } from '../progress.js';
import { runSummary } from '../render.js';
import { tablesWanted } from '../terminal.js';

export function registerApprove(program: Command): void {
  program
    .command('approve <tenant> <runId>')
    .description('release a run held by a safety guard: its held plan is applied')
    .option('--inline', 'apply it in this process (no service needed) and wait for the end')
    .action(
      action(async (options, tenantId: string, runId: string) => {
        return withTenantBackend(options, tenantId, async ({ tenant, backend }) => {
          let applied: RunRecord | undefined;
          let outcome: ApprovalOutcome;
          if (options.inline) {
            const here = wireTenant(backend, tenant, cliLogger());
            const progress = new RunProgress();
            const following = followRun(backend, { tenant: tenant.id, id: runId }, progress.update);
            try {
              outcome = await approveHeldRun(backend.stores, tenant.id, runId, async (run) => {
                applied = await here.execute({ ...requestOf(run), trigger: 'approve' });
              });
              if (applied) progress.update(applied);
            } finally {
              following.stop();
              progress.end();
              await here.close();
            }
          } else {
            outcome = await approveThroughQueue(backend, tenant.id, runId);
          }
          if (!outcome.approved) {
            if (options.json) printJson({ ok: false, problem: outcome.problem, message: outcome.message });
            else process.stderr.write(`${outcome.message}\n`);
            return EXIT.failed;
          }
          if (applied) {
            if (options.json) printJson(applied);
            else printText(runSummary(applied, tablesWanted(options)));
            return exitCodeFor(applied);
          }
          if (options.json) printJson({ ok: true, runId, status: outcome.run.status });
          else
            printText(`run ${runId} approved and queued; follow it with: dirsync run ${tenant.id} ${runId}`);
          return EXIT.ok;
        });
      }),
    );
}
