import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { OpPacer } from '../../src/queue/opPacer.js';
import { connectRedis } from '../../src/service/redis.js';

const redis = connectRedis({ url: process.env.REDIS_URL! });
afterAll(() => redis.disconnect());

const freshTenant = () => `t-${randomBytes(4).toString('hex')}`;

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

describe('OpPacer', () => {
  it("lets small batches through at once while the second's budget lasts", async () => {
    const pacer = new OpPacer(redis, freshTenant(), 50);
    // A small run's user batch, then its group batch: no waiting for a new second.
    const ms = await timed(async () => {
      await pacer.take(4);
      await pacer.take(3);
      await pacer.take(20);
    });
    expect(ms).toBeLessThan(250);
  });

  it('holds requests to the rate once the budget is spent, across every worker of the tenant', async () => {
    const tenant = freshTenant();
    const workers = [new OpPacer(redis, tenant, 20), new OpPacer(redis, tenant, 20)];
    await workers[0]!.take(20);
    // The budget is spent: 20 more ops, taken by two workers, need a second's refill.
    const ms = await timed(async () => {
      await Promise.all([workers[0]!.take(10), workers[1]!.take(10)]);
    });
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(2_500);
  });

  it('paces each tenant on its own', async () => {
    const busy = new OpPacer(redis, freshTenant(), 10);
    await busy.take(10);
    const ms = await timed(() => new OpPacer(redis, freshTenant(), 10).take(10));
    expect(ms).toBeLessThan(250);
  });
});
