import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.js';
import { opsQueueName, opsQueuePrefix } from '../../src/queue/names.js';
import type { RedisConnection } from '../../src/runs/redis/connection.js';
import {
  type OpQueueSample,
  stalledTenants,
  startOpWorkerWatchdog,
} from '../../src/service/opWorkerWatchdog.js';
import { connectRedis } from '../../src/service/redis.js';

const sample = (ready: number, active = 0, heldBack = false): OpQueueSample => ({ ready, active, heldBack });

describe('which tenants have an op worker that stopped taking jobs', () => {
  it('is a tenant whose ready jobs nobody took at two looks in a row', () => {
    const previous = new Map([
      ['stalled', sample(3)],
      ['busy', sample(3, 2)],
      ['drained', sample(3)],
      ['rate-limited', sample(3, 0, true)],
      ['idle', sample(0)],
    ]);
    const current = new Map([
      ['stalled', sample(5)],
      ['busy', sample(4, 2)],
      ['drained', sample(0)],
      ['rate-limited', sample(3, 0, true)],
      ['idle', sample(0)],
      ['new', sample(2)],
    ]);
    expect(stalledTenants(previous, current)).toEqual(['stalled']);
  });

  it('is none at the first look, whatever it sees', () => {
    expect(stalledTenants(new Map(), new Map([['stalled', sample(3)]]))).toEqual([]);
  });
});

describe('the op worker watchdog, on Redis', () => {
  let connection: RedisConnection;
  const tenants = { stalled: `wd-stalled-${randomUUID()}`, paused: `wd-paused-${randomUUID()}` };
  const queues: Queue[] = [];

  beforeAll(() => {
    connection = connectRedis({ url: process.env.REDIS_URL! });
  });
  afterAll(async () => {
    await Promise.all(queues.map((queue) => queue.obliterate({ force: true }).then(() => queue.close())));
    connection.disconnect();
  });

  function opQueue(tenant: string): Queue {
    const queue = new Queue(opsQueueName(tenant), { connection, prefix: opsQueuePrefix(tenant) });
    queues.push(queue);
    return queue;
  }

  it('restarts the op worker of a tenant whose ops wait with no worker taking them, and not of a paused one', async () => {
    const stalled = opQueue(tenants.stalled);
    const paused = opQueue(tenants.paused);
    await stalled.add('batch', { ops: [] });
    await paused.pause();
    await paused.add('batch', { ops: [] });
    const restarted: string[] = [];
    let replacement: Worker | undefined;
    const watchdog = startOpWorkerWatchdog({
      tenants: Object.values(tenants),
      connection,
      logger: silentLogger(),
      intervalMs: 150,
      restart: async (tenant) => {
        restarted.push(tenant);
        // The fresh worker takes the waiting batch, as the role's would.
        replacement = new Worker(opsQueueName(tenant), async () => {}, {
          connection,
          prefix: opsQueuePrefix(tenant),
        });
      },
    });
    try {
      await expect.poll(() => restarted, { timeout: 5000 }).toEqual([tenants.stalled]);
      await expect.poll(() => stalled.getJobCounts('completed'), { timeout: 5000 }).toEqual({ completed: 1 });
      // Taken up, the tenant is not restarted again; the paused tenant never was.
      await new Promise((wait) => setTimeout(wait, 600));
      expect(restarted).toEqual([tenants.stalled]);
    } finally {
      await watchdog.stop();
      await replacement?.close();
    }
  });
});
