import { DelayedError, UnrecoverableError, Worker } from 'bullmq';
import { FINISHED_STATUSES } from '../model/run.js';
import type { Logger } from '../observability/logger.js';
import { queueTelemetry } from '../observability/tracing.js';
import { describeError } from '../runs/errors.js';
import { executeIfUnlocked } from '../runs/lockedRun.js';
import type { Stores } from '../runs/ports.js';
import type { RedisConnection } from '../runs/redis/connection.js';
import type { TenantRuntime } from '../runs/runtime.js';
import { type RunJobData, runJobSchema } from './jobs.js';
import { RECONCILE_QUEUE, RECONCILE_QUEUE_PREFIX } from './names.js';
import type { QueueSet } from './queues.js';

/** How long a run waits before it looks again at a tenant another run holds. */
const LOCKED_RETRY_MS = 1000;

export interface ReconcileWorkerOptions {
  readonly connection: RedisConnection;
  readonly stores: Stores;
  readonly queues: QueueSet;
  readonly runtimes: ReadonlyMap<string, TenantRuntime>;
  readonly logger: Logger;
  /** Runs of different tenants in parallel in this process. */
  readonly concurrency?: number;
  readonly pollMs?: number;
}

/** Takes run requests and executes each through the pipeline, one run per tenant at a time. */
export function startReconcileWorker(options: ReconcileWorkerOptions): Worker<RunJobData> {
  const { stores, runtimes, logger } = options;
  const worker = new Worker<RunJobData>(
    RECONCILE_QUEUE,
    async (job, token) => {
      const request = runJobSchema.parse(job.data);
      const runtime = runtimes.get(request.tenant);
      if (!runtime) {
        await stores.runs.update(request.tenant, request.runId, {
          status: 'failed',
          finishedAt: new Date().toISOString(),
          error: `tenant ${request.tenant} is not in this worker's configuration`,
          failureClass: { class: 'fatal', cause: 'configuration' },
        });
        throw new UnrecoverableError(`unknown tenant ${request.tenant}`);
      }
      const record = await executeIfUnlocked(request, {
        stores,
        queues: options.queues,
        runtime,
        logger,
        ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      });
      if (!record) {
        await job.moveToDelayed(Date.now() + LOCKED_RETRY_MS, token);
        throw new DelayedError();
      }
      return { status: record.status };
    },
    {
      connection: options.connection,
      prefix: RECONCILE_QUEUE_PREFIX,
      ...queueTelemetry(),
      concurrency: options.concurrency ?? 4,
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
      // A run whose worker died is taken up again from the start; doing that twice is harmless.
      maxStalledCount: 5,
    },
  );
  // A run job that failed for good (its workers kept dying, or Redis did) must not leave its record
  // `running` or `applying` for ever: operators and the follow-up logic read the record.
  worker.on('failed', (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const { tenant, runId } = job.data;
    void markAbandoned(stores, tenant, runId, describeError(error)).catch((failure: unknown) =>
      logger.error({ tenant, runId, reason: describeError(failure) }, 'could not record an abandoned run'),
    );
  });
  return worker;
}

async function markAbandoned(stores: Stores, tenant: string, runId: string, reason: string): Promise<void> {
  const record = await stores.runs.get(tenant, runId);
  if (!record || FINISHED_STATUSES.includes(record.status) || record.status === 'held') return;
  await stores.runs.update(tenant, runId, {
    status: 'failed',
    finishedAt: new Date().toISOString(),
    error: `the run was abandoned: ${reason}`,
    // Its workers kept dying or Redis kept failing: a fault of the deployment, not of the tenant.
    failureClass: { class: 'internal' },
  });
}
