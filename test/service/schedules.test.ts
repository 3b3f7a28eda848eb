import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantConfig } from '../../src/config/load.js';
import type { RedisConnection } from '../../src/runs/redis/connection.js';
import { connectRedis } from '../../src/service/redis.js';
import {
  createScheduleQueue,
  type ScheduleTick,
  scheduledRuns,
  syncSchedules,
} from '../../src/service/schedules.js';

let redis: RedisConnection;
let queue: Queue<ScheduleTick>;

beforeAll(async () => {
  const url = `${process.env.REDIS_URL}/7`;
  const flush = new Redis(url);
  await flush.flushdb();
  flush.disconnect();
  redis = connectRedis({ url });
  queue = createScheduleQueue(redis);
});
afterAll(async () => {
  await queue?.close();
  redis?.disconnect();
});

function tenant(id: string, schedule: TenantConfig['schedule']): TenantConfig {
  return { id, schedule } as TenantConfig;
}

describe('syncSchedules', () => {
  it('registers each cron schedule once, however many replicas sync, and keeps its next tick', async () => {
    const tenants = [
      tenant('a', { incremental: '*/40 * * * *', full: '0 3 * * *' }),
      tenant('b', { full: '*/5 * * * * *' }),
    ];
    const first = await syncSchedules(queue, tenants);
    expect([...first.registered].sort()).toEqual(['a-full', 'a-incremental', 'b-full']);
    const before = await scheduledRuns(queue, 'a');
    const replicas = await Promise.all([syncSchedules(queue, tenants), syncSchedules(queue, tenants)]);
    for (const replica of replicas) expect(replica.registered).toEqual([]);
    expect(await queue.getJobSchedulersCount()).toBe(3);
    expect(await scheduledRuns(queue, 'a')).toEqual(before);
    expect(before.full).toMatchObject({ pattern: '0 3 * * *' });
    expect(before.full?.next).toMatch(/T03:00:00\.000Z$/);
    // One delayed tick per schedule, however often they were registered.
    expect(await queue.getDelayedCount()).toBe(3);
  });

  it('re-registers a changed pattern, and removes schedules the configuration no longer has', async () => {
    const result = await syncSchedules(queue, [tenant('a', { incremental: '*/10 * * * *' })]);
    expect(result.registered).toEqual(['a-incremental']);
    expect([...result.removed].sort()).toEqual(['a-full', 'b-full']);
    expect(await scheduledRuns(queue, 'b')).toEqual({});
    expect((await scheduledRuns(queue, 'a')).incremental?.pattern).toBe('*/10 * * * *');
  });

  it('reports a pattern BullMQ refuses without stopping the others', async () => {
    const result = await syncSchedules(queue, [
      tenant('a', { incremental: '*/10 * * * *' }),
      tenant('c', { full: '99 * * * *' }),
    ]);
    expect(result.invalid.map((entry) => entry.id)).toEqual(['c-full']);
    expect(result.unchanged).toEqual(['a-incremental']);
  });
});
