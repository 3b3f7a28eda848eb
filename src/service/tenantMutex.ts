import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keys } from '../runs/keys.js';

const HOLD_MS = 10_000;
const WAIT_MS = 15_000;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * Runs `critical` while no other process decides about the tenant's runs: a short Redis lease,
 * separate from the run lease, held only for the few commands of a decision.
 */
export async function withTenantMutex<T>(
  redis: Redis,
  tenant: string,
  critical: () => Promise<T>,
): Promise<T> {
  const key = keys.triggerMutex(tenant);
  const token = randomUUID();
  const deadline = Date.now() + WAIT_MS;
  while ((await redis.set(key, token, 'PX', HOLD_MS, 'NX')) !== 'OK') {
    if (Date.now() > deadline) throw new Error(`tenant ${tenant} is busy: could not decide about its runs`);
    await new Promise((wake) => setTimeout(wake, 20));
  }
  try {
    return await critical();
  } finally {
    await redis.eval(RELEASE, 1, key, token);
  }
}
