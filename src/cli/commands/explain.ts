import type { Command } from 'commander';
import type { ExplainAnswer } from '../../model/explain.js';
import { explainSubject } from '../../runs/explain.js';
import { action } from '../action.js';
import { cliLogger } from '../cliLogger.js';
import { withTenantBackend, withTenantHere } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { printJson, printText } from '../output.js';
import { traceLines, traceTable } from '../stepTraces.js';
import { tablesWanted } from '../terminal.js';

/** The longest subject the source is asked about, as the API allows. */
const SUBJECT_MAX = 1024;

export function registerExplain(program: Command): void {
  program
    .command('explain <tenant> <subject>')
    .description(
      'why a user (or group) is or is not on the platform, and what the next run would do: a dry-run trace, nothing changed',
    )
    .option('--group', 'the subject is a group (object id or display name); by default a user')
    .action(
      action(async (options, tenantId: string, subject: string) => {
        if (subject === '' || subject.length > SUBJECT_MAX) {
          throw new UsageError(`the subject must be 1 to ${SUBJECT_MAX} characters`);
        }
        return withTenantBackend(options, tenantId, async ({ tenant, backend }) => {
          const answer = await withTenantHere(backend, tenant, cliLogger(), (here) =>
            explainSubject(subject, options.group ? 'group' : 'user', here.deps),
          );
          if (options.json) printJson(answer);
          else printText(tablesWanted(options) ? explainTable(answer) : explainLines(answer));
          return answer.status === 'failure' ? EXIT.failed : EXIT.ok;
        });
      }),
    );
}

const heading = (answer: ExplainAnswer) => `explain ${answer.tenant} (dry run: nothing applied)`;

function explainTable(answer: ExplainAnswer): string {
  return `${heading(answer)}\n${traceTable(answer)}`;
}

function explainLines(answer: ExplainAnswer): string {
  return [heading(answer), ...traceLines(answer)].join('\n');
}
