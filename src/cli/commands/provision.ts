import type { Command } from 'commander';
import type { ProvisionAnswer } from '../../model/provision.js';
import { ProvisionLimitError, provisionOnDemand } from '../../runs/provision.js';
import { requestRun } from '../../runs/requestRun.js';
import { wireTenant } from '../../service/compositionRoot.js';
import { action } from '../action.js';
import { cliLogger } from '../cliLogger.js';
import { connectBackend, loadConfig, requireTenant, runInline } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { printJson, printText } from '../output.js';
import { activity } from '../progress.js';
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
        const working = activity(`[${tenant.id}] provisioning ${subjects(users, groups)}`);
        try {
          const answer = await provisionOnDemand(
            { users, groups },
            {
              ...here.deps,
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
          if (options.json) printJson(answer);
          else printText(tablesWanted(options) ? answerTables(answer) : renderAnswer(answer));
          return answer.results.some((result) => result.status === 'failure') ? EXIT.failed : EXIT.ok;
        } catch (error) {
          if (error instanceof ProvisionLimitError) throw new UsageError(error.message);
          throw error;
        } finally {
          working.stop();
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
