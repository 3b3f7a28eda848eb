import { randomUUID } from 'node:crypto';
import type { RedisConnection } from './connection.js';

/** Touch the key only while it still holds this lease's token: a lease that ran out and was taken is its new holder's. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * A Redis lease: a key holding its holder's token that runs out after `ttlMs` unless renewed, so
 * a holder that crashed never keeps it. Every lease dirsync takes (a tenant's run, a tenant's
 * trigger decisions) is one of these.
 */
export class Lease {
  private constructor(
    private readonly redis: RedisConnection,
    readonly key: string,
    private readonly token: string,
    readonly ttlMs: number,
  ) {}

  /** The lease, or undefined when another holder has it. `holder` is readable by `holderOf`. */
  static async take(
    redis: RedisConnection,
    key: string,
    holder: string,
    ttlMs: number,
  ): Promise<Lease | undefined> {
    const token = `${holder}:${randomUUID()}`;
    const taken = await redis.set(key, token, 'PX', ttlMs, 'NX');
    return taken === 'OK' ? new Lease(redis, key, token, ttlMs) : undefined;
  }

  /** Who holds the lease at `key`, as it named itself when taking it. */
  static async holderOf(redis: RedisConnection, key: string): Promise<string | undefined> {
    return (await redis.get(key))?.split(':')[0];
  }

  /** Extends the lease by its ttl; false when it is no longer this holder's (it ran out, or was taken). */
  async renew(): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}
