import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Op, OpKind } from '../model/plan.js';
import { PlatformError } from '../model/platform.js';
import type { ProvisioningEvent } from '../model/run.js';
import type { Logger } from '../observability/logger.js';
import { OpDurations } from '../observability/opDurations.js';
import { currentSpan, queueTelemetry, runAttributes, withSpan } from '../observability/tracing.js';
import type { Batch } from '../runs/batch.js';
import { RunCallCounter } from '../runs/callCounter.js';
import { describeError } from '../runs/errors.js';
import { keys } from '../runs/keys.js';
import { batchJobId } from '../runs/opIds.js';
import { OwnershipChanges } from '../runs/ownershipChanges.js';
import type { Stores, TenantRuntime } from '../runs/runtime.js';
import { ConcurrencyLimiter } from '../util/concurrencyLimiter.js';
import { type ApplyResult, applyOp, memberExternalIdsOf, TerminalOpError } from './applyOp.js';
import { type OpBatchJobData, opBatchJobSchema } from './jobs.js';
import { opsQueueName, QUEUE_PREFIX } from './names.js';
import { OpPacer } from './opPacer.js';
import { OP_ATTEMPTS, OP_JOB_OPTIONS, OP_RETRY_BASE_MS } from './queues.js';

/**
 * Batch jobs in flight per process. Their ops share the tenant's platform concurrency, so the
 * second batch only keeps ops queued for the sockets while the first records its outcomes.
 */
const BATCHES_IN_FLIGHT = 2;
/** How long a batch's "outcomes recorded" mark is kept (longer than any retry of the batch). */
const RECORDED_MARK_SECONDS = 24 * 3600;

export interface OpWorkerOptions {
  readonly connection: Redis;
  readonly stores: Stores;
  readonly runtime: TenantRuntime;
  readonly logger: Logger;
}

type Outcome = { readonly op: Op; readonly id: string } & (
  | { readonly ended: 'success'; readonly result: ApplyResult }
  | { readonly ended: 'failure' | 'retry'; readonly reason: string }
);

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
    prefix: QUEUE_PREFIX,
    ...queueTelemetry(),
  });
  const pacer = new OpPacer(stores.redis, tenant, runtime.config.target.maxRequestsPerSecond);
  const platformSlots = new ConcurrencyLimiter(runtime.config.target.concurrency);

  const worker = new Worker<OpBatchJobData>(
    opsQueueName(tenant),
    inBatchSpan(async (job) => {
      const { runId, attempt, ops, opIds } = opBatchJobSchema.parse(job.data);
      // Per job instance, not per id: the same ops planned again later (a drifted user deactivated
      // anew, say) make a new job under the same id, which must run, not pass as recorded.
      const recordedKey = keys.batchRecorded(tenant, `${job.id ?? ''}@${job.timestamp}`);
      if (await stores.redis.exists(recordedKey)) return;
      await pacer.take(ops.length);
      const counter = new RunCallCounter();
      const platform = runtime.platform(counter);
      // On a retry the platform may have moved since the plan: re-read and converge.
      const reread = attempt > 0 || job.attemptsMade > 0;
      const ownership = new OwnershipChanges();
      const members = reread ? [] : memberExternalIdsOf(ops);
      const knownUserLinks = members.length > 0 ? await stores.state.userLinks(tenant, members) : undefined;
      const durations = new OpDurations();
      const outcomes = await Promise.all(
        ops.map((op, index) =>
          platformSlots.run(async (): Promise<Outcome> => {
            const id = opIds[index]!;
            const started = performance.now();
            try {
              const result = await applyOp(op, {
                tenant,
                platform,
                state: stores.state,
                mappedPaths: runtime.mappedPaths,
                reread,
                ownership,
                ...(knownUserLinks && { knownUserLinks }),
              });
              return { op, id, ended: 'success', result };
            } catch (error) {
              const reason = describeError(error);
              const final = isTerminal(error) || attempt + 1 >= OP_ATTEMPTS;
              return { op, id, ended: final ? 'failure' : 'retry', reason };
            } finally {
              durations.observe(op.kind, (performance.now() - started) / 1000);
            }
          }),
        ),
      );

      const again = outcomes.filter((outcome) => outcome.ended === 'retry');
      if (again.length > 0) {
        const againIds = again.map((outcome) => outcome.id);
        // Enqueued before the outcomes are recorded: if recording fails, the batch runs again and
        // adds this same job (same id from the same ops), not a second one.
        await retries.add(
          again[0]!.op.kind,
          { tenant, runId, attempt: attempt + 1, ops: again.map((outcome) => outcome.op), opIds: againIds },
          {
            ...OP_JOB_OPTIONS,
            jobId: batchJobId(againIds, attempt + 1),
            delay: OP_RETRY_BASE_MS * 2 ** attempt,
            ...(job.opts.priority ? { priority: job.opts.priority } : {}),
          },
        );
      }

      const batch = stores.redis.multi();
      const tally = new OutcomeTally();
      const events: Omit<ProvisioningEvent, 'id'>[] = [];
      const at = new Date().toISOString();
      for (const outcome of outcomes) {
        if (outcome.ended === 'success') {
          tally.add(outcome.op.kind, 'succeeded');
          tally.addMembers(outcome.result);
          events.push(successEvent(runId, outcome.op, outcome.result, at));
        }
        if (outcome.ended === 'failure') {
          tally.add(outcome.op.kind, 'failed');
          currentSpan().event('op failed', {
            'dirsync.op.kind': outcome.op.kind,
            'dirsync.op.external_id': outcome.op.externalId,
            'dirsync.op.reason': outcome.reason,
          });
          logger.warn(
            { runId, op: outcome.op.kind, externalId: outcome.op.externalId, reason: outcome.reason },
            'op failed',
          );
          events.push(await recordFailure(stores, tenant, runId, outcome.op, outcome.reason, at, batch));
        }
      }
      await stores.events.appendAll(tenant, events, batch);
      await tally.record(stores, tenant, runId, batch);
      stores.state.queueOwnership(tenant, ownership, batch);
      await stores.pendingOps.end(
        tenant,
        outcomes.filter((outcome) => outcome.ended !== 'retry').map((outcome) => outcome.id),
        batch,
      );
      await stores.runs.countCalls(
        tenant,
        runId,
        { target: counter.calls.target, throttledTarget: counter.throttles.target },
        batch,
      );
      for (const [field, increment] of durations.increments())
        batch.hincrbyfloat(keys.tally(tenant), field, increment);
      batch.set(recordedKey, '1', 'EX', RECORDED_MARK_SECONDS);
      await batch.exec();
      stores.progress.recorded(tenant);
    }),
    {
      connection: options.connection,
      prefix: QUEUE_PREFIX,
      ...queueTelemetry(),
      concurrency: BATCHES_IN_FLIGHT,
      // A batch whose worker died is taken up again; applying its ops twice is harmless.
      maxStalledCount: 5,
    },
  );
  worker.on('closed', () => {
    void retries.close();
  });
  // A batch that failed for good (Redis kept failing under it): its ops end as failures, so that
  // the run waiting for them ends too and the next run plans them again.
  worker.on('failed', (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    void recordBatchFailure(stores, tenant, job.data, describeError(error)).catch((failure: unknown) =>
      logger.error({ reason: describeError(failure) }, 'could not record a failed batch'),
    );
  });
  return worker;
}

type BatchProcessor = (job: Job<OpBatchJobData>) => Promise<void>;

/** The batch in a span of the run's trace (its context travels in the job), with what it applies. */
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

async function recordBatchFailure(
  stores: Stores,
  tenant: string,
  stored: unknown,
  reason: string,
): Promise<void> {
  const data = opBatchJobSchema.parse(stored);
  const batch = stores.redis.multi();
  const at = new Date().toISOString();
  const tally = new OutcomeTally();
  const events: Omit<ProvisioningEvent, 'id'>[] = [];
  for (const op of data.ops) {
    tally.add(op.kind, 'failed');
    events.push(await recordFailure(stores, tenant, data.runId, op, reason, at, batch));
  }
  await stores.events.appendAll(tenant, events, batch);
  await tally.record(stores, tenant, data.runId, batch);
  await stores.pendingOps.end(tenant, data.opIds, batch);
  await batch.exec();
  stores.progress.recorded(tenant);
}

/**
 * Ops ended per kind and outcome in one batch, and the group members they added and removed: one
 * counter increment each, not one per op.
 */
class OutcomeTally {
  readonly #counts = new Map<string, { kind: OpKind; outcome: 'succeeded' | 'failed'; count: number }>();
  readonly #members = { added: 0, removed: 0 };

  add(kind: OpKind, outcome: 'succeeded' | 'failed'): void {
    const key = `${kind}:${outcome}`;
    const entry = this.#counts.get(key) ?? { kind, outcome, count: 0 };
    entry.count++;
    this.#counts.set(key, entry);
  }

  addMembers(result: ApplyResult): void {
    this.#members.added += result.membersAdded ?? 0;
    this.#members.removed += result.membersRemoved ?? 0;
  }

  async record(stores: Stores, tenant: string, runId: string, batch: Batch): Promise<void> {
    for (const { kind, outcome, count } of this.#counts.values()) {
      await stores.runs.countOutcome(tenant, runId, kind, outcome, batch, count);
    }
    await stores.runs.countMembers(tenant, runId, this.#members, batch);
  }
}

function eventOf(runId: string, op: Op, at: string): Omit<ProvisioningEvent, 'id' | 'outcome'> {
  return {
    runId,
    at,
    objectType: objectTypeOf(op),
    externalId: op.externalId,
    ...subjectOf(op),
    op: op.kind,
  };
}

function successEvent(runId: string, op: Op, result: ApplyResult, at: string): Omit<ProvisioningEvent, 'id'> {
  return {
    ...eventOf(runId, op, at),
    outcome: 'success',
    ...(result.targetId ? { targetId: result.targetId } : {}),
    ...(result.note ? { reason: result.note } : {}),
    ...('changes' in op ? { changes: op.changes } : {}),
  };
}

/**
 * A failure for good (counted by the caller's tally): kept with its reason and left for the next
 * run; returns its provisioning-log event for the caller to append with the batch's others.
 */
async function recordFailure(
  stores: Stores,
  tenant: string,
  runId: string,
  op: Op,
  reason: string,
  at: string,
  batch: Batch,
): Promise<Omit<ProvisioningEvent, 'id'>> {
  const objectType = objectTypeOf(op);
  await stores.runs.addFailure(
    tenant,
    runId,
    { objectType, externalId: op.externalId, op: op.kind, reason },
    batch,
  );
  await stores.state.markForRetry(tenant, objectType, op.externalId, batch);
  return { ...eventOf(runId, op, at), outcome: 'failure', reason };
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
