import type { Command } from 'commander';
import { action } from '../action.js';
import { configPath, loadConfig } from '../context.js';
import { EXIT } from '../errors.js';
import { printJson, printText } from '../output.js';

export function registerCheckConfig(program: Command): void {
  program
    .command('check-config')
    .description('validate the configuration; every error names its path')
    .action(
      action(async (options) => {
        const config = loadConfig(options);
        const tenants = config.tenants.map((tenant) => ({ id: tenant.id, source: tenant.source.type }));
        if (options.json) printJson({ ok: true, config: configPath(options), tenants });
        else {
          printText(`${configPath(options)}: ok, ${tenants.length} tenant(s)`);
          for (const tenant of tenants) printText(`  ${tenant.id} (${tenant.source})`);
        }
        return EXIT.ok;
      }),
    );
}
