import { LeaseLostError } from '../errors.js';
import { keys } from '../keys.js';
import type { RunLease, TenantLock } from '../ports.js';
import type { RedisConnection } from './connection.js';
import { Lease } from './lease.js';

const LEASE_MS = 60_000;

export interface TenantLockOptions {
  /** How long the lease outlives its last renewal; renewed three times in that span. */
  readonly leaseMs?: number;
}

/**
 * At most one run per tenant at a time, across every worker process: a Redis lease renewed
 * while the run goes on. A crashed holder's lease runs out, so a tenant is never locked forever.
 */
export class RedisTenantLock implements TenantLock {
  readonly #leaseMs: number;

  constructor(
    private readonly redis: RedisConnection,
    options: TenantLockOptions = {},
  ) {
    this.#leaseMs = options.leaseMs ?? LEASE_MS;
  }

  async acquire(tenant: string, holder: string): Promise<RunLease | undefined> {
    const lease = await Lease.take(this.redis, keys.lock(tenant), holder, this.#leaseMs);
    return lease ? keptAlive(lease) : undefined;
  }

  holder(tenant: string): Promise<string | undefined> {
    return Lease.holderOf(this.redis, keys.lock(tenant));
  }
}

/**
 * Renews the lease three times per ttl. A renewal that finds the lease gone (it ran out, or
 * another holder took it) loses it at once; one that fails (Redis unreachable) loses it when the
 * next renewal would come too late to keep it.
 */
function keptAlive(lease: Lease): RunLease {
  const lost = new AbortController();
  const intervalMs = lease.ttlMs / 3;
  let heldUntil = Date.now() + lease.ttlMs;
  const lose = (reason: string) => {
    clearInterval(timer);
    if (!lost.signal.aborted) lost.abort(new LeaseLostError(reason));
  };
  const timer = setInterval(() => {
    const renewedAt = Date.now();
    lease.renew().then(
      (held) => {
        if (held) heldUntil = renewedAt + lease.ttlMs;
        else lose('another holder has it, or it ran out');
      },
      (error: unknown) => {
        if (Date.now() + intervalMs >= heldUntil)
          lose(`it could not be renewed (${error instanceof Error ? error.message : String(error)})`);
      },
    );
  }, intervalMs);
  timer.unref();
  return {
    lost: lost.signal,
    release: async () => {
      clearInterval(timer);
      await lease.release();
    },
  };
}
