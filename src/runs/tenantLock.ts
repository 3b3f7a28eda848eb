import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keys } from './keys.js';

const LEASE_MS = 60_000;

/**
 * At most one run per tenant at a time, across every worker process: a Redis lease renewed
 * while the run goes on. A crashed holder's lease runs out, so a tenant is never locked forever.
 */
export class TenantLock {
  constructor(private readonly redis: Redis) {}

  async acquire(tenant: string, holder: string): Promise<LeaseHandle | undefined> {
    const token = `${holder}:${randomUUID()}`;
    const taken = await this.redis.set(keys.lock(tenant), token, 'PX', LEASE_MS, 'NX');
    if (taken !== 'OK') return undefined;
    const timer = setInterval(() => {
      void this.redis.eval(RENEW, 1, keys.lock(tenant), token, String(LEASE_MS)).catch(() => {});
    }, LEASE_MS / 3);
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        await this.redis.eval(RELEASE, 1, keys.lock(tenant), token);
      },
    };
  }

  async holder(tenant: string): Promise<string | undefined> {
    return (await this.redis.get(keys.lock(tenant)))?.split(':')[0];
  }
}

export interface LeaseHandle {
  release(): Promise<void>;
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
