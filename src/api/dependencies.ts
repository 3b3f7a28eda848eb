import type { Queue } from 'bullmq';
import type { Config, TenantConfig } from '../config/load.js';
import type { Logger } from '../observability/logger.js';
import type { QueueSet } from '../queue/queues.js';
import type { RedisStores } from '../runs/redis/stores.js';
import type { ScheduleTick } from '../service/schedules.js';

/** What the admin API reads and writes: the deployment's Redis, through the stores and queues. */
export interface ApiDependencies {
  readonly config: Config;
  readonly stores: RedisStores;
  readonly queues: QueueSet;
  readonly scheduleQueue: Queue<ScheduleTick>;
  readonly logger: Logger;
}

/** The tenant of a route whose guard has already answered 404 for unknown tenants. */
export function tenantOf(deps: ApiDependencies, params: unknown): TenantConfig {
  const id = (params as { tenant: string }).tenant;
  const tenant = deps.config.tenants.find((candidate) => candidate.id === id);
  if (!tenant) throw new Error(`tenant ${id} passed the guard but is not configured`);
  return tenant;
}
