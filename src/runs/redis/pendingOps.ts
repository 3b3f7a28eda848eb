import { keys } from '../keys.js';
import type { PendingOps, WriteBatch } from '../ports.js';
import { inBatch } from './batch.js';
import type { RedisConnection } from './connection.js';

/**
 * The ops of a tenant that are enqueued and not yet ended, by op id (a digest of the op): a run
 * that plans an op already pending adds no duplicate and waits for it instead. An entry older than
 * STALE_MS no longer counts (its job was removed by hand, say), so nothing waits on it forever.
 */
const STALE_MS = 2 * 3600_000;

export class RedisPendingOps implements PendingOps {
  constructor(private readonly redis: RedisConnection) {}

  /** Whether any op of the tenant is pending (or stale, which the lookup then sorts out). */
  async any(tenant: string): Promise<boolean> {
    return (await this.redis.zcard(keys.pendingOps(tenant))) > 0;
  }

  /** Which of `opIds` are pending now. */
  async pending(tenant: string, opIds: readonly string[], now = Date.now()): Promise<Set<string>> {
    if (opIds.length === 0) return new Set();
    const scores = await this.redis.zmscore(keys.pendingOps(tenant), ...opIds);
    return new Set(opIds.filter((_, index) => Number(scores[index] ?? 0) > now - STALE_MS));
  }

  async add(tenant: string, opIds: readonly string[], now = Date.now()): Promise<void> {
    if (opIds.length === 0) return;
    await this.redis.zadd(keys.pendingOps(tenant), ...opIds.flatMap((id) => [now, id]));
  }

  /** Ops that ended (succeeded, or failed for good). */
  async end(tenant: string, opIds: readonly string[], batch?: WriteBatch): Promise<void> {
    if (opIds.length === 0) return;
    await inBatch(this.redis, batch, (queue) => queue.zrem(keys.pendingOps(tenant), ...opIds));
  }
}
