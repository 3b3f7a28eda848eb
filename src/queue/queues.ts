import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { OpBatchJobData, RunJobData } from './jobs.js';
import { opsQueueName, QUEUE_PREFIX, RECONCILE_QUEUE } from './names.js';

/**
 * Op batch jobs leave Redis once done: their outcomes live in the run record and provisioning log.
 * A batch job's own attempts cover infrastructure trouble (Redis gone mid-batch); an op that the
 * platform refuses for a while is retried in a new batch (see OP_ATTEMPTS).
 */
export const OP_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: true,
} as const;

/** Tries of one op before its failure is final; waits double from OP_RETRY_BASE_MS between them. */
export const OP_ATTEMPTS = 6;
export const OP_RETRY_BASE_MS = 1000;

/** Ops per batch job at most: BullMQ's own cost per job would otherwise outweigh a platform call. */
const MAX_OPS_PER_JOB = 100;

/**
 * A batch never holds more ops than the tenant may send in a second: the pacer's budget holds one
 * second of requests, and a batch takes its share of it at once (see OpPacer).
 */
export function opsPerJob(maxRequestsPerSecond: number): number {
  return Math.max(1, Math.min(MAX_OPS_PER_JOB, Math.floor(maxRequestsPerSecond)));
}

/** The producer side of every queue, over one shared connection. */
export class QueueSet {
  readonly reconcile: Queue<RunJobData>;
  readonly #ops = new Map<string, Queue<OpBatchJobData>>();

  /**
   * BullMQ's own connection, apart from the stores' one: BullMQ defines dozens of Lua commands on
   * a connection, and ioredis copies every one of them into each MULTI made from it, which made
   * each op's bookkeeping cost more than its HTTP call.
   */
  readonly connection: Redis;

  constructor(shared: Redis) {
    this.connection = shared.duplicate();
    this.reconcile = new Queue<RunJobData>(RECONCILE_QUEUE, {
      connection: this.connection,
      prefix: QUEUE_PREFIX,
    });
  }

  ops(tenant: string): Queue<OpBatchJobData> {
    let queue = this.#ops.get(tenant);
    if (!queue) {
      queue = new Queue<OpBatchJobData>(opsQueueName(tenant), {
        connection: this.connection,
        prefix: QUEUE_PREFIX,
      });
      this.#ops.set(tenant, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([this.reconcile.close(), ...[...this.#ops.values()].map((queue) => queue.close())]);
    this.connection.disconnect();
  }
}
