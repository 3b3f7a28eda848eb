import { OpProgress } from '../opProgress.js';
import type { Stores } from '../ports.js';
import { RedisWriteBatch } from './batch.js';
import type { RedisConnection } from './connection.js';
import { RedisEventLog } from './eventLog.js';
import { RedisHeldPlans } from './heldPlans.js';
import { RedisPendingOps } from './pendingOps.js';
import { RedisRunStore } from './runStore.js';
import { RedisTenantLock } from './tenantLock.js';
import { RedisTenantState } from './tenantState.js';

/**
 * The stores over one Redis connection, which the service's own Redis work (triggers, approval,
 * quarantine, metrics) and the op worker's pacing share.
 */
export interface RedisStores extends Stores {
  readonly redis: RedisConnection;
}

export function createStores(redis: RedisConnection): RedisStores {
  return {
    redis,
    runs: new RedisRunStore(redis),
    events: new RedisEventLog(redis),
    state: new RedisTenantState(redis),
    lock: new RedisTenantLock(redis),
    pendingOps: new RedisPendingOps(redis),
    heldPlans: new RedisHeldPlans(redis),
    progress: new OpProgress(),
    batch: () => new RedisWriteBatch(redis),
  };
}
