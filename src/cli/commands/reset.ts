import type { Command } from 'commander';
import { resetTenant } from '../../service/quarantineStatus.js';
import { action } from '../action.js';
import { withTenantBackend } from '../context.js';
import { EXIT } from '../errors.js';
import { printJson, printText } from '../output.js';

export function registerReset(program: Command): void {
  program
    .command('reset <tenant>')
    .description(
      'forget the source cursor so the next run is full, and clear a quarantine (ownership of platform objects is kept)',
    )
    .action(
      action(async (options, tenantId: string) => {
        return withTenantBackend(options, tenantId, async ({ backend }) => {
          await resetTenant(backend.stores, tenantId);
          if (options.json) printJson({ ok: true, tenant: tenantId });
          else printText(`${tenantId}: cursor forgotten and quarantine cleared; the next run is full`);
          return EXIT.ok;
        });
      }),
    );
}
