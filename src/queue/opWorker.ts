import { type Job, Queue, Worker } from 'bullmq';
import type { Logger } from '../observability/logger.js';
import { queueTelemetry, runAttributes, withSpan } from '../observability/tracing.js';
import { describeError } from '../runs/errors.js';
import type { RedisConnection } from '../runs/redis/connection.js';
import type { RedisStores } from '../runs/redis/stores.js';
import type { TenantRuntime } from '../runs/runtime.js';
import { ConcurrencyLimiter } from '../util/concurrencyLimiter.js';
import type { OpBatchJobData } from './jobs.js';
import { opsQueueName, opsQueuePrefix } from './names.js';
import { OpPacer } from './opPacer.js';
import { applyBatch } from './opWorker/applyBatch.js';
import { decodeBatch } from './opWorker/decodeBatch.js';
import { alreadyRecorded, recordBatchFailure, recordOutcomes } from './opWorker/recordOutcomes.js';
import { retryLater } from './opWorker/retryLater.js';

/**
 * Batch jobs in flight per process. Their ops share the tenant's platform concurrency, so the
 * second batch only keeps ops queued for the sockets while the first records its outcomes.
 */
const BATCHES_IN_FLIGHT = 2;

export interface OpWorkerOptions {
  readonly connection: RedisConnection;
  readonly stores: RedisStores;
  readonly runtime: TenantRuntime;
  readonly logger: Logger;
}

/**
 * Applies one tenant's ops, batch by batch, paced by the tenant's own limits. Each op converges
 * one object, with the platform calls of a batch in flight together up to the tenant's socket
 * pool; the batch's outcomes reach Redis in one MULTI, exactly once even when the batch runs
 * again after a crash. Ops the platform refused for a while go on in a later, delayed batch.
 */
export function startOpWorker(options: OpWorkerOptions): Worker<OpBatchJobData> {
  const { stores, runtime } = options;
  const tenant = runtime.config.id;
  const logger = options.logger.child({ tenant });
  const retries = new Queue<OpBatchJobData>(opsQueueName(tenant), {
    connection: options.connection,
    prefix: opsQueuePrefix(tenant),
    ...queueTelemetry(),
  });
  const pacer = new OpPacer(stores.redis, tenant, runtime.config.target.maxRequestsPerSecond);
  const applier = {
    stores,
    runtime,
    platformSlots: new ConcurrencyLimiter(runtime.config.target.concurrency),
  };

  const worker = new Worker<OpBatchJobData>(
    opsQueueName(tenant),
    inBatchSpan(async (job) => {
      const batch = decodeBatch(tenant, job);
      if (await alreadyRecorded(stores, batch)) return;
      await pacer.take(batch.ops.length);
      const applied = await applyBatch(batch, applier);
      await retryLater(retries, batch, applied);
      await recordOutcomes(stores, batch, applied, logger);
    }),
    {
      connection: options.connection,
      prefix: opsQueuePrefix(tenant),
      ...queueTelemetry(),
      concurrency: BATCHES_IN_FLIGHT,
      // A batch whose worker died is taken up again; applying its ops twice is harmless.
      maxStalledCount: 5,
    },
  );
  worker.on('closed', () => {
    void retries.close();
  });
  worker.on('failed', (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    void recordBatchFailure(stores, tenant, job.data, describeError(error)).catch((failure: unknown) =>
      logger.error({ reason: describeError(failure) }, 'could not record a failed batch'),
    );
  });
  return worker;
}

type BatchProcessor = (job: Job<OpBatchJobData>) => Promise<void>;

/** One span per batch job, in the trace of the run that enqueued it (BullMQ carries the context). */
function inBatchSpan(process: BatchProcessor): BatchProcessor {
  return (job) => {
    const { tenant, runId, attempt, ops } = job.data;
    // Not parsed yet: a malformed job fails in the processor, with its reason, inside the span.
    const kinds = Array.isArray(ops) ? [...new Set(ops.map((op) => op.kind))] : [];
    const attributes = {
      ...runAttributes(tenant, runId),
      'dirsync.op.kinds': kinds,
      'dirsync.op.count': Array.isArray(ops) ? ops.length : 0,
      'dirsync.op.attempt': attempt,
    };
    return withSpan('dirsync.ops', attributes, () => process(job));
  };
}
