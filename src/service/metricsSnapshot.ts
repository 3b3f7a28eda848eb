import type { Queue } from 'bullmq';
import type { MetricsSnapshot, TenantTotals } from '../observability/metrics.js';
import type { QueueSet } from '../queue/queues.js';
import { keys } from '../runs/keys.js';
import type { RedisStores } from '../runs/redis/stores.js';
import { readQuarantine, readSkippedTriggers } from './quarantineStatus.js';
import { readTotals, tallyFinishedRuns } from './runTally.js';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

export interface SnapshotDependencies {
  readonly stores: RedisStores;
  readonly queues: QueueSet;
  readonly scheduleQueue: Queue;
  readonly tenants: readonly string[];
}

/** Reads what /metrics shows from Redis, first counting runs that ended without being tallied. */
export async function readMetricsSnapshot(
  deps: SnapshotDependencies,
  now: Date = new Date(),
): Promise<MetricsSnapshot> {
  const tenants = await Promise.all(
    deps.tenants.map(async (tenant): Promise<TenantTotals> => {
      await tallyFinishedRuns(deps.stores, tenant);
      const [{ lastSuccessAt, ...totals }, quarantine, skipped, managedUsers] = await Promise.all([
        readTotals(deps.stores.redis, tenant),
        readQuarantine(deps.stores, tenant),
        readSkippedTriggers(deps.stores, tenant),
        deps.stores.redis.scard(keys.ownedUsers(tenant)),
      ]);
      return {
        ...totals,
        quarantined: quarantine.quarantined,
        skippedTriggers: skipped.count,
        managedUsers,
        lastSuccessAgeSeconds:
          lastSuccessAt === null ? null : Math.max(0, (now.getTime() - lastSuccessAt) / 1000),
      };
    }),
  );
  const queues = [
    deps.queues.reconcile,
    deps.scheduleQueue,
    ...deps.tenants.map((tenant) => deps.queues.ops(tenant)),
  ];
  const depths = await Promise.all(
    queues.map(async (queue) => {
      const counts = await queue.getJobCounts(...QUEUE_STATES);
      return QUEUE_STATES.map((state) => ({ queue: queue.name, state, count: counts[state] ?? 0 }));
    }),
  );
  return { tenants, queues: depths.flat() };
}
