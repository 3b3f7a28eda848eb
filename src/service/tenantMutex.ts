import { keys } from '../runs/keys.js';
import type { RedisConnection } from '../runs/redis/connection.js';
import { Lease } from '../runs/redis/lease.js';

const HOLD_MS = 10_000;
const WAIT_MS = 15_000;

/**
 * Runs `critical` while no other process decides about the tenant's runs: a short Redis lease,
 * separate from the run lease, held only for the few commands of a decision.
 */
export async function withTenantMutex<T>(
  redis: RedisConnection,
  tenant: string,
  critical: () => Promise<T>,
): Promise<T> {
  const lease = await waitForLease(redis, tenant);
  try {
    return await critical();
  } finally {
    await lease.release();
  }
}

async function waitForLease(redis: RedisConnection, tenant: string): Promise<Lease> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const lease = await Lease.take(redis, keys.triggerMutex(tenant), 'trigger', HOLD_MS);
    if (lease) return lease;
    if (Date.now() > deadline) throw new Error(`tenant ${tenant} is busy: could not decide about its runs`);
    await new Promise((wake) => setTimeout(wake, 20));
  }
}
