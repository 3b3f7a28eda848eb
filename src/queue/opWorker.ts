import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Op } from '../model/plan.js';
import { PlatformError } from '../model/platform.js';
import type { Logger } from '../observability/logger.js';
import { RunCallCounter } from '../runs/callCounter.js';
import { describeError } from '../runs/errors.js';
import type { Stores, TenantRuntime } from '../runs/runtime.js';
import { applyOp, TerminalOpError } from './applyOp.js';
import { type OpJobData, opJobSchema } from './jobs.js';
import { opsQueueName, QUEUE_PREFIX } from './names.js';
import { OP_JOB_OPTIONS } from './queues.js';

/** Op jobs in flight per platform socket of the tenant, in one process. */
const JOBS_PER_SOCKET = 4;

export interface OpWorkerOptions {
  readonly connection: Redis;
  readonly stores: Stores;
  readonly runtime: TenantRuntime;
  readonly logger: Logger;
}

/**
 * Applies one tenant's ops, paced by the tenant's own limits. Each job converges one object;
 * its outcome goes to the run's counters and the provisioning log exactly once, when it ends.
 */
export function startOpWorker(options: OpWorkerOptions): Worker<OpJobData> {
  const { stores, runtime } = options;
  const tenant = runtime.config.id;
  const logger = options.logger.child({ tenant });
  return new Worker<OpJobData>(
    opsQueueName(tenant),
    async (job) => {
      const { runId, op } = opJobSchema.parse(job.data);
      const counter = new RunCallCounter();
      const attempts = job.opts.attempts ?? OP_JOB_OPTIONS.attempts;
      const event = {
        runId,
        objectType: objectTypeOf(op),
        externalId: op.externalId,
        ...subjectOf(op),
        op: op.kind,
      };
      // The op's end goes to Redis in one round trip: counters, calls, the event (and the failure).
      const batch = stores.redis.multi();
      const countCalls = () =>
        stores.runs.countCalls(
          tenant,
          runId,
          { target: counter.calls.target, throttledTarget: counter.throttles.target },
          batch,
        );
      try {
        const result = await applyOp(op, {
          tenant,
          platform: runtime.platform(counter),
          state: stores.state,
          mappedPaths: runtime.mappedPaths,
          reread: job.attemptsMade > 0,
        });
        await stores.runs.countOutcome(tenant, runId, op.kind, 'succeeded', batch);
        await stores.events.append(
          tenant,
          {
            ...event,
            at: new Date().toISOString(),
            outcome: 'success',
            ...(result.targetId ? { targetId: result.targetId } : {}),
            ...(result.note ? { reason: result.note } : {}),
            ...('changes' in op ? { changes: op.changes } : {}),
          },
          batch,
        );
        await countCalls();
        await batch.exec();
      } catch (error) {
        const terminal = isTerminal(error);
        if (terminal || job.attemptsMade + 1 >= attempts) {
          const reason = describeError(error);
          logger.warn({ runId, op: op.kind, externalId: op.externalId, reason }, 'op failed');
          await stores.runs.countOutcome(tenant, runId, op.kind, 'failed', batch);
          await stores.runs.addFailure(
            tenant,
            runId,
            { objectType: event.objectType, externalId: op.externalId, op: op.kind, reason },
            batch,
          );
          await stores.state.markForRetry(tenant, event.objectType, op.externalId, batch);
          await stores.events.append(
            tenant,
            { ...event, at: new Date().toISOString(), outcome: 'failure', reason },
            batch,
          );
        }
        await countCalls();
        await batch.exec();
        if (terminal) throw new UnrecoverableError(describeError(error));
        throw error;
      }
    },
    {
      connection: options.connection,
      prefix: QUEUE_PREFIX,
      // More jobs in flight than platform sockets: each job's Redis bookkeeping overlaps other jobs'
      // HTTP, while the tenant's socket pool still caps requests to the platform at its concurrency.
      concurrency: runtime.config.target.concurrency * JOBS_PER_SOCKET,
      limiter: { max: runtime.config.target.maxRequestsPerSecond, duration: 1000 },
    },
  );
}

/** Retrying cannot help: the platform refused the request itself (throttling is waited out in the client). */
function isTerminal(error: unknown): boolean {
  if (error instanceof TerminalOpError) return true;
  return (
    error instanceof PlatformError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

function objectTypeOf(op: Op): 'user' | 'group' {
  return op.kind.endsWith('User') ? 'user' : 'group';
}

function subjectOf(op: Op): { subject?: string } {
  if ('attributes' in op && op.attributes.userName) return { subject: op.attributes.userName };
  if ('displayName' in op) return { subject: op.displayName };
  return {};
}
