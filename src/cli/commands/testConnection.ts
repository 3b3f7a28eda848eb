import type { Command } from 'commander';
import { testConnectionOnce } from '../../service/connectionTest.js';
import { action } from '../action.js';
import { cliLogger } from '../cliLogger.js';
import { loadConfig, requireTenant } from '../context.js';
import { EXIT } from '../errors.js';
import { printJson, printText } from '../output.js';
import { renderTable } from '../table.js';
import { tablesWanted } from '../terminal.js';

export function registerTestConnection(program: Command): void {
  program
    .command('test-connection <tenant>')
    .description('source and target reachable, credentials valid, permissions enough')
    .action(
      action(async (options, tenantId: string) => {
        const config = loadConfig(options);
        const tenant = requireTenant(config, tenantId);
        const report = await testConnectionOnce(tenant, cliLogger());
        if (options.json) printJson(report);
        else if (tablesWanted(options)) {
          printText(
            renderTable(
              [{ title: 'result' }, { title: 'side' }, { title: 'check' }, { title: 'detail' }],
              report.checks.map((check) => [check.ok ? 'ok' : 'FAIL', check.side, check.name, check.message]),
            ),
          );
          printText(report.ok ? `${tenant.id}: every check passed` : `${tenant.id}: some checks failed`);
        } else {
          for (const check of report.checks) {
            printText(`${check.ok ? 'ok  ' : 'FAIL'} ${check.side} · ${check.name}: ${check.message}`);
          }
          for (const warning of report.warnings) printText(`warn ${warning}`);
          printText(report.ok ? `${tenant.id}: every check passed` : `${tenant.id}: some checks failed`);
        }
        return report.ok ? EXIT.ok : EXIT.failed;
      }),
    );
}
