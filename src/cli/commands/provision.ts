import type { Command } from 'commander';
import type { ProvisionAnswer } from '../../model/provision.js';
import { ProvisionLimitError, provisionOnDemand } from '../../runs/provision.js';
import { requestRun } from '../../runs/requestRun.js';
import { createTenantRuntime } from '../../runs/runtime.js';
import { action } from '../action.js';
import {
  cliLogger,
  loadConfig,
  openBackend,
  requireTenant,
  runInline,
  startOpWorkerHere,
} from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { printJson, printText } from '../output.js';

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
        const backend = await openBackend(config);
        const logger = cliLogger();
        const runtime = createTenantRuntime(tenant, logger);
        const worker = options.inline ? await startOpWorkerHere(backend, config, runtime, logger) : undefined;
        try {
          const answer = await provisionOnDemand(
            { users, groups },
            {
              stores: backend.stores,
              queues: backend.queues,
              runtime,
              logger,
              requestFollowUp: async () =>
                options.inline
                  ? (await runInline(backend, config, tenant, { mode: 'full', trigger: 'provision' }, logger))
                      .id
                  : (
                      await requestRun(backend.stores, backend.queues, {
                        tenant: tenant.id,
                        mode: 'full',
                        trigger: 'provision',
                      })
                    ).id,
            },
          );
          if (options.json) printJson(answer);
          else printText(renderAnswer(answer));
          return answer.results.some((result) => result.status === 'failure') ? EXIT.failed : EXIT.ok;
        } catch (error) {
          if (error instanceof ProvisionLimitError) throw new UsageError(error.message);
          throw error;
        } finally {
          await worker?.close();
          runtime.close();
          await backend.close();
        }
      }),
    );
}

function renderAnswer(answer: ProvisionAnswer): string {
  const lines = [`provisioning run ${answer.runId}`];
  for (const result of answer.results) {
    lines.push(`${result.kind} ${result.subject}: ${result.status.toUpperCase()}`);
    for (const step of result.steps) {
      const details = Object.entries(step.details)
        .filter(([key]) => key !== 'attributes')
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(' ');
      lines.push(`  ${step.step.padEnd(7)} ${step.status.padEnd(8)} ${details}`);
    }
  }
  if (answer.note) lines.push(answer.note);
  return lines.join('\n');
}
