import type { RunMode } from '../model/run.js';
import { keys } from '../runs/keys.js';
import type { RedisStores } from '../runs/redis/stores.js';
import { type QuarantineState, quarantineOf } from './quarantine.js';

/** Runs read to decide: more than the threshold plus every backoff step. */
const RUNS_CONSIDERED = 20;

export interface SkippedTriggers {
  readonly count: number;
  readonly lastAt?: string;
  readonly lastMode?: RunMode;
}

/** A tenant's quarantine as the scheduler and the API see it: decided from its recent runs. */
export async function readQuarantine(stores: RedisStores, tenant: string): Promise<QuarantineState> {
  const [runs, resetAt] = await Promise.all([
    stores.runs.list(tenant, RUNS_CONSIDERED),
    stores.redis.get(keys.quarantineResetAt(tenant)),
  ]);
  return quarantineOf(runs, resetAt ? { resetAt } : {});
}

export async function recordSkippedTrigger(
  stores: RedisStores,
  tenant: string,
  mode: RunMode,
  at: Date,
): Promise<void> {
  await stores.redis
    .multi()
    .hincrby(keys.skippedTriggers(tenant), 'count', 1)
    .hset(keys.skippedTriggers(tenant), { lastAt: at.toISOString(), lastMode: mode })
    .exec();
}

export async function readSkippedTriggers(stores: RedisStores, tenant: string): Promise<SkippedTriggers> {
  const fields = await stores.redis.hgetall(keys.skippedTriggers(tenant));
  return {
    count: Number(fields.count ?? 0),
    ...(fields.lastAt ? { lastAt: fields.lastAt } : {}),
    ...(fields.lastMode ? { lastMode: fields.lastMode as RunMode } : {}),
  };
}

/**
 * An operator's reset: the cursor is forgotten (the next run is full) and so is the quarantine —
 * runs that failed before now no longer count. The skipped-trigger counter is a metric and stays.
 */
export async function resetTenant(
  stores: RedisStores,
  tenant: string,
  now: Date = new Date(),
): Promise<void> {
  await stores.state.reset(tenant);
  await stores.redis.set(keys.quarantineResetAt(tenant), now.toISOString());
}
