import { Queue } from 'bullmq';
import type { Logger } from '../observability/logger.js';
import { opsQueueName, opsQueuePrefix } from '../queue/names.js';
import type { RedisConnection } from '../runs/redis/connection.js';

/** How often each tenant's op queue is looked at. */
export const WATCHDOG_INTERVAL_MS = 30_000;

/** One look at a tenant's op queue. */
export interface OpQueueSample {
  /** Jobs ready to be taken: waiting or prioritized. */
  readonly ready: number;
  readonly active: number;
  /** Jobs held back on purpose (a rate limit, a paused queue): nobody should take them now. */
  readonly heldBack: boolean;
}

/**
 * The tenants whose op queue had jobs ready and none taken at two looks a check apart: no op
 * worker of any process is taking their jobs. On a Redis Cluster a BullMQ worker's blocking
 * connection can wedge while many connect at once (bullmq#4138: the worker stays "running", its
 * blocking connection never asks again), and the tenant's runs then wait for ever.
 */
export function stalledTenants(
  previous: ReadonlyMap<string, OpQueueSample>,
  current: ReadonlyMap<string, OpQueueSample>,
): string[] {
  const stuck = (sample: OpQueueSample | undefined) =>
    sample !== undefined && sample.ready > 0 && sample.active === 0 && !sample.heldBack;
  return [...current.keys()].filter((tenant) => stuck(previous.get(tenant)) && stuck(current.get(tenant)));
}

export interface OpWorkerWatchdogOptions {
  readonly tenants: readonly string[];
  /** The role's shared connection: the looks are plain commands, no blocking connection of their own. */
  readonly connection: RedisConnection;
  /** Starts a fresh op worker for the tenant in this process, in place of the one that stopped taking jobs. */
  readonly restart: (tenant: string) => Promise<void>;
  readonly logger: Logger;
  readonly intervalMs?: number;
}

/**
 * Looks at every tenant's op queue each interval and restarts this process's op worker of a
 * tenant whose ready jobs nobody took since the last look. A restart is harmless: a batch taken
 * twice converges its objects twice. Every worker process does the same, so a tenant stalled in
 * all of them is taken up again by each.
 */
export function startOpWorkerWatchdog(options: OpWorkerWatchdogOptions): { stop(): Promise<void> } {
  const { tenants, connection, logger } = options;
  const queues = new Map(
    tenants.map((tenant) => [
      tenant,
      new Queue(opsQueueName(tenant), { connection, prefix: opsQueuePrefix(tenant) }),
    ]),
  );
  let previous: ReadonlyMap<string, OpQueueSample> = new Map();
  let looking: Promise<void> = Promise.resolve();

  async function look(): Promise<void> {
    const current = new Map<string, OpQueueSample>();
    for (const [tenant, queue] of queues) current.set(tenant, await sample(queue));
    for (const tenant of stalledTenants(previous, current)) {
      logger.warn(
        { tenant, ready: current.get(tenant)?.ready },
        "no op worker took this tenant's ready ops since the last look: restarting its op worker here",
      );
      await options.restart(tenant);
    }
    previous = current;
  }

  const timer = setInterval(() => {
    looking = looking
      .then(look)
      .catch((error: unknown) =>
        logger.warn({ reason: (error as Error).message }, 'could not look at the op queues'),
      );
  }, options.intervalMs ?? WATCHDOG_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await looking;
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}

async function sample(queue: Queue): Promise<OpQueueSample> {
  const [counts, rateLimitTtl, paused] = await Promise.all([
    queue.getJobCounts('wait', 'prioritized', 'active'),
    queue.getRateLimitTtl(),
    queue.isPaused(),
  ]);
  return {
    ready: (counts.wait ?? 0) + (counts.prioritized ?? 0),
    active: counts.active ?? 0,
    heldBack: rateLimitTtl > 0 || paused,
  };
}
