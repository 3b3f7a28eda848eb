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
      try {
        const result = await applyOp(op, {
          tenant,
          platform: runtime.platform(counter),
          state: stores.state,
          mappedPaths: runtime.mappedPaths,
          reread: job.attemptsMade > 0,
        });
        await stores.runs.countOutcome(tenant, runId, op.kind, 'succeeded');
        await stores.events.append(tenant, {
          runId,
          at: new Date().toISOString(),
          objectType: objectTypeOf(op),
          externalId: op.externalId,
          ...subjectOf(op),
          op: op.kind,
          outcome: 'success',
          ...(result.targetId ? { targetId: result.targetId } : {}),
          ...(result.note ? { reason: result.note } : {}),
          ...('changes' in op ? { changes: op.changes } : {}),
        });
      } catch (error) {
        const terminal = isTerminal(error);
        if (terminal || job.attemptsMade + 1 >= attempts) {
          const reason = describeError(error);
          logger.warn({ runId, op: op.kind, externalId: op.externalId, reason }, 'op failed');
          await stores.runs.countOutcome(tenant, runId, op.kind, 'failed');
          await stores.runs.addFailure(tenant, runId, {
            objectType: objectTypeOf(op),
            externalId: op.externalId,
            op: op.kind,
            reason,
          });
          await stores.state.markForRetry(tenant, objectTypeOf(op), op.externalId);
          await stores.events.append(tenant, {
            runId,
            at: new Date().toISOString(),
            objectType: objectTypeOf(op),
            externalId: op.externalId,
            ...subjectOf(op),
            op: op.kind,
            outcome: 'failure',
            reason,
          });
          if (terminal) throw new UnrecoverableError(reason);
        }
        throw error;
      } finally {
        await stores.runs.countCalls(tenant, runId, {
          target: counter.calls.target,
          throttledTarget: counter.throttles.target,
        });
      }
    },
    {
      connection: options.connection,
      prefix: QUEUE_PREFIX,
      concurrency: runtime.config.target.concurrency,
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
