import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { keys } from '../keys.js';
import type { HeldPlans, HeldRun } from '../ports.js';
import type { RedisConnection } from './connection.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Held plans as gzipped JSON beside their run record, expiring in Redis. */
export class RedisHeldPlans implements HeldPlans {
  constructor(private readonly redis: RedisConnection) {}

  async store(tenant: string, runId: string, held: HeldRun, expiresInSeconds: number): Promise<void> {
    const packed = await gzipAsync(Buffer.from(JSON.stringify(held)));
    // Redis refuses an expiry of 0 s: a fraction of an hour that rounds to nothing keeps the plan 1 s.
    await this.redis.set(keys.runPlan(tenant, runId), packed, 'EX', Math.max(1, expiresInSeconds));
  }

  async load(tenant: string, runId: string): Promise<HeldRun | undefined> {
    const packed = await this.redis.getBuffer(keys.runPlan(tenant, runId));
    if (!packed) return undefined;
    return JSON.parse((await gunzipAsync(packed)).toString('utf8')) as HeldRun;
  }
}
