import { Queue } from 'bullmq';
import type { RunRequest } from '../model/run.js';
import { queueTelemetry } from '../observability/tracing.js';
import { batchJobId } from '../runs/opIds.js';
import { duplicateConnection, type RedisConnection } from '../runs/redis/connection.js';
import type { OpBatch, RunQueues } from '../runs/runQueues.js';
import type { OpBatchJobData, RunJobData } from './jobs.js';
import { opsQueueName, opsQueuePrefix, RECONCILE_QUEUE, RECONCILE_QUEUE_PREFIX } from './names.js';

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

/** How a run job is retried when its worker dies or Redis blips (the pipeline records its own failures). */
export const RUN_JOB_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 5000 } } as const;

/** The producer side of every queue, over one shared connection. */
export class QueueSet implements RunQueues {
  readonly reconcile: Queue<RunJobData>;
  readonly #ops = new Map<string, Queue<OpBatchJobData>>();

  /**
   * BullMQ's own connection, apart from the stores' one: BullMQ defines dozens of Lua commands on
   * a connection, and ioredis copies every one of them into each MULTI made from it, which made
   * each op's bookkeeping cost more than its HTTP call.
   */
  readonly connection: RedisConnection;

  constructor(shared: RedisConnection) {
    this.connection = duplicateConnection(shared);
    this.reconcile = new Queue<RunJobData>(RECONCILE_QUEUE, {
      connection: this.connection,
      prefix: RECONCILE_QUEUE_PREFIX,
      ...queueTelemetry(),
    });
  }

  ops(tenant: string): Queue<OpBatchJobData> {
    let queue = this.#ops.get(tenant);
    if (!queue) {
      queue = new Queue<OpBatchJobData>(opsQueueName(tenant), {
        connection: this.connection,
        prefix: opsQueuePrefix(tenant),
        ...queueTelemetry(),
      });
      this.#ops.set(tenant, queue);
    }
    return queue;
  }

  async enqueueRun(request: RunRequest, jobId = request.runId): Promise<void> {
    await this.reconcile.add('run', request, { ...RUN_JOB_OPTIONS, jobId });
  }

  async enqueueOpBatches(tenant: string, batches: readonly OpBatch[], priority: number): Promise<void> {
    await this.ops(tenant).addBulk(
      batches.map((batch) => ({
        name: batch.ops[0]!.kind,
        data: batch,
        opts: {
          ...OP_JOB_OPTIONS,
          jobId: batchJobId(batch.opIds, batch.attempt),
          ...(priority > 0 ? { priority } : {}),
        },
      })),
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.reconcile.close(), ...[...this.#ops.values()].map((queue) => queue.close())]);
    this.connection.disconnect();
  }
}
