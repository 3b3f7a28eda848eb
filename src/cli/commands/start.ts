import type { Command } from 'commander';
import { startApiRole } from '../../api/role.js';
import { createLogger } from '../../observability/logger.js';
import { isRoleChoice } from '../../service/role.js';
import { startService, stopOnSignal } from '../../service/service.js';
import { action } from '../action.js';
import { loadConfig, redisTarget } from '../context.js';
import { UsageError } from '../errors.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('the long-running service; run roles in separate processes to scale out')
    .option('--role <role>', 'all | worker | scheduler | api', 'all')
    .action(
      action(async (options) => {
        const role = String(options.role);
        if (!isRoleChoice(role))
          throw new UsageError(`--role must be all, worker, scheduler or api, not "${role}"`);
        const config = loadConfig(options);
        const logger = createLogger({ destination: options.json ? 2 : 1 });
        const service = await startService({
          config,
          redis: redisTarget(config),
          role,
          logger,
          startApi: startApiRole,
        });
        logger.info({ roles: service.roles }, 'dirsync started');
        const code = await stopOnSignal(service, logger);
        logger.info('dirsync stopped');
        logger.flush();
        return code;
      }),
    );
}
