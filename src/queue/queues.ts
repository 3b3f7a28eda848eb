import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { OpJobData, RunJobData } from './jobs.js';
import { opsQueueName, QUEUE_PREFIX, RECONCILE_QUEUE } from './names.js';

/** Op jobs leave Redis once done: their outcome lives in the run record and provisioning log. */
export const OP_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: true,
} as const;

/** The producer side of every queue, over one shared connection. */
export class QueueSet {
  readonly reconcile: Queue<RunJobData>;
  readonly #ops = new Map<string, Queue<OpJobData>>();

  constructor(readonly connection: Redis) {
    this.reconcile = new Queue<RunJobData>(RECONCILE_QUEUE, { connection, prefix: QUEUE_PREFIX });
  }

  ops(tenant: string): Queue<OpJobData> {
    let queue = this.#ops.get(tenant);
    if (!queue) {
      queue = new Queue<OpJobData>(opsQueueName(tenant), {
        connection: this.connection,
        prefix: QUEUE_PREFIX,
      });
      this.#ops.set(tenant, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([this.reconcile.close(), ...[...this.#ops.values()].map((queue) => queue.close())]);
  }
}
