import { Worker } from 'bullmq';
import type { Config } from '../config/load.js';
import type { Logger } from '../observability/logger.js';
import type { QueueSet } from '../queue/queues.js';
import type { RedisConnection } from '../runs/redis/connection.js';
import type { RedisStores } from '../runs/redis/stores.js';
import type { Role } from './role.js';
import { settleFollowUp } from './runTrigger.js';
import {
  createScheduleQueue,
  SCHEDULE_QUEUE,
  SCHEDULE_QUEUE_PREFIX,
  type ScheduleTick,
  syncSchedules,
} from './schedules.js';
import { handleScheduleTick } from './scheduleTick.js';
import { startSweep } from './sweep.js';

export interface SchedulerRoleOptions {
  readonly config: Config;
  readonly stores: RedisStores;
  readonly queues: QueueSet;
  /** For the tick worker, which blocks on Redis. */
  readonly connection: RedisConnection;
  readonly logger: Logger;
}

/**
 * Keeps the tenants' cron schedules registered as BullMQ job schedulers and turns each tick into
 * a run. Any number of replicas may run: registration is idempotent, each tick is one job taken by
 * one replica, and a tick seen twice or during a run is coalesced.
 */
export async function startSchedulerRole(options: SchedulerRoleOptions): Promise<Role> {
  const { config, stores, queues, logger } = options;
  const scheduleQueue = createScheduleQueue(options.connection);
  const sync = await syncSchedules(scheduleQueue, config.tenants);
  for (const invalid of sync.invalid)
    logger.error(invalid, 'schedule not registered: its cron pattern is refused');
  const deps = { stores, queues, tenants: new Set(config.tenants.map((tenant) => tenant.id)), logger };
  const ticks = new Worker<ScheduleTick>(
    SCHEDULE_QUEUE,
    async (job) => handleScheduleTick(deps, job.data, job.id ?? `${job.name}-${job.timestamp}`),
    { connection: options.connection, prefix: SCHEDULE_QUEUE_PREFIX, concurrency: 4 },
  );
  await ticks.waitUntilReady();
  const sweep = startSweep(config, (tenant) => settleFollowUp({ stores, queues }, tenant), logger);
  logger.info(
    { role: 'scheduler', registered: sync.registered, unchanged: sync.unchanged, removed: sync.removed },
    'scheduler role started',
  );
  return {
    name: 'scheduler',
    async stop() {
      sweep.stop();
      await ticks.close();
      await scheduleQueue.close();
    },
  };
}
