import type { Command } from 'commander';
import type { ProvisionAnswer } from '../../model/provision.js';
import { ProvisionLimitError, provisionOnDemand } from '../../runs/provision.js';
import { requestRun } from '../../runs/requestRun.js';
import { wireTenant } from '../../service/compositionRoot.js';
import { action } from '../action.js';
import { cliLogger } from '../cliLogger.js';
import { connectBackend, followRun, loadConfig, requireTenant, runInline } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { printJson, printText } from '../output.js';
import { activity, RunProgress } from '../progress.js';
import { traceLines, traceTable } from '../stepTraces.js';
import { tablesWanted } from '../terminal.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerProvision(program: Command): void {
  program
    .command('provision <tenant>')
    .description(
      'provision chosen users or groups now, with a step-by-step trace (like Entra "Provision on demand")',
    )
    .option('--user <id>', 'a user: object id, userName (UPN / login) or email; repeatable', collect, [])
    .option('--group <id>', 'a group: object id or display name; repeatable', collect, [])
    .option('--inline', 'apply the ops in this process (no service needed)')
    .action(
      action(async (options, tenantId: string) => {
        const config = loadConfig(options);
        const tenant = requireTenant(config, tenantId);
        const users = options.user as string[];
        const groups = options.group as string[];
        const backend = await connectBackend(config);
        const here = wireTenant(backend, tenant, cliLogger());
        if (options.inline) await here.startOpWorker();
        // Elapsed time until the run is recorded, then the run's own done/total, rate and ETA.
        const working = activity(`[${tenant.id}] provisioning ${subjects(users, groups)}`);
        const progress = new RunProgress();
        let following: { stop(): void } | undefined;
        let runId: string | undefined;
        try {
          const answer = await provisionOnDemand(
            { users, groups },
            {
              ...here.deps,
              onRunRecorded: (recorded) => {
                if (!progress.on) return;
                runId = recorded;
                working.stop();
                following = followRun(backend, { tenant: tenant.id, id: recorded }, progress.update);
              },
              requestFollowUp: async () =>
                options.inline
                  ? (await runInline(backend, here, { mode: 'full', trigger: 'provision' })).id
                  : (
                      await requestRun(backend.stores, backend.queues, {
                        tenant: tenant.id,
                        mode: 'full',
                        trigger: 'provision',
                      })
                    ).id,
            },
          );
          working.stop();
          following?.stop();
          // The run's last reading, so the line left standing shows it done.
          const last = runId === undefined ? undefined : await backend.stores.runs.get(tenant.id, runId);
          if (last) progress.update(last);
          progress.end();
          if (options.json) printJson(answer);
          else printText(tablesWanted(options) ? answerTables(answer) : renderAnswer(answer));
          return answer.results.some((result) => result.status === 'failure') ? EXIT.failed : EXIT.ok;
        } catch (error) {
          if (error instanceof ProvisionLimitError) throw new UsageError(error.message);
          throw error;
        } finally {
          working.stop();
          following?.stop();
          progress.end();
          await here.close();
          await backend.close();
        }
      }),
    );
}

function subjects(users: readonly string[], groups: readonly string[]): string {
  const named = [
    users.length > 0 ? `${users.length} user${users.length === 1 ? '' : 's'}` : '',
    groups.length > 0 ? `${groups.length} group${groups.length === 1 ? '' : 's'}` : '',
  ];
  return named.filter(Boolean).join(', ') || 'nothing';
}

/** At a terminal: one table per subject, its steps as rows. */
function answerTables(answer: ProvisionAnswer): string {
  const blocks = [`provisioning run ${answer.runId}`];
  for (const result of answer.results) blocks.push(`\n${traceTable(result)}`);
  if (answer.note) blocks.push(`\n${answer.note}`);
  return blocks.join('\n');
}

function renderAnswer(answer: ProvisionAnswer): string {
  const lines = [`provisioning run ${answer.runId}`];
  for (const result of answer.results) lines.push(...traceLines(result));
  if (answer.note) lines.push(answer.note);
  return lines.join('\n');
}
