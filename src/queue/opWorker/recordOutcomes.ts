import { WORK_EMAIL_PATH } from '../../engine/index.js';
import type { RecordedFailure } from '../../model/failure.js';
import type { Op, OpKind } from '../../model/plan.js';
import { eventMembers, mayHoldSecret, type ProvisioningEvent } from '../../model/run.js';
import type { Logger } from '../../observability/logger.js';
import { currentSpan } from '../../observability/tracing.js';
import { keys } from '../../runs/keys.js';
import type { WriteBatch } from '../../runs/ports.js';
import { RedisWriteBatch } from '../../runs/redis/batch.js';
import type { RedisStores } from '../../runs/redis/stores.js';
import type { ApplyResult } from '../applyOp.js';
import { opBatchJobSchema } from '../jobs.js';
import type { AppliedBatch } from './applyBatch.js';
import type { DecodedBatch } from './decodeBatch.js';

/** How long a batch's "outcomes recorded" mark is kept (longer than any retry of the batch). */
const RECORDED_MARK_SECONDS = 24 * 3600;

/**
 * The batch's outcomes reach Redis in one MULTI — counts, failures, provisioning-log events,
 * ownership, pending ops ended, API calls, op durations — with the mark that they are recorded,
 * so a batch run again after a crash records nothing twice.
 */
export async function recordOutcomes(
  stores: RedisStores,
  batch: DecodedBatch,
  applied: AppliedBatch,
  logger: Logger,
): Promise<void> {
  const { tenant, runId } = batch;
  const { outcomes, counter } = applied;
  const writes = new RedisWriteBatch(stores.redis);
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
        'dirsync.op.failure_class': outcome.failure.class,
      });
      logger.warn(
        {
          runId,
          op: outcome.op.kind,
          externalId: outcome.op.externalId,
          reason: outcome.reason,
          failureClass: outcome.failure,
        },
        'op failed',
      );
      events.push(await recordFailure(stores, tenant, runId, outcome.op, outcome, at, writes));
    }
  }
  await stores.events.appendAll(tenant, events, writes);
  await tally.record(stores, tenant, runId, writes);
  stores.state.queueOwnership(tenant, applied.ownership, writes);
  await stores.pendingOps.end(
    tenant,
    outcomes.filter((outcome) => outcome.ended !== 'retry').map((outcome) => outcome.id),
    writes,
  );
  await stores.runs.countCalls(
    tenant,
    runId,
    { target: counter.calls.target, throttledTarget: counter.throttles.target },
    writes,
  );
  for (const [field, increment] of applied.durations.increments())
    writes.commands.hincrbyfloat(keys.tally(tenant), field, increment);
  writes.commands.set(batch.recordedKey, '1', 'EX', RECORDED_MARK_SECONDS);
  await writes.exec();
  stores.progress.recorded(tenant);
}

/** Whether this job's outcomes were recorded already (the job runs again after a crash). */
export async function alreadyRecorded(stores: RedisStores, batch: DecodedBatch): Promise<boolean> {
  return (await stores.redis.exists(batch.recordedKey)) > 0;
}

/** A batch that failed for good failed for dirsync's own reasons, not for the tenant's. */
const INTERNAL: RecordedFailure = { class: 'internal' };

/**
 * A batch that failed for good (Redis kept failing under it): its ops end as failures, so that
 * the run waiting for them ends too and the next run plans them again.
 */
export async function recordBatchFailure(
  stores: RedisStores,
  tenant: string,
  stored: unknown,
  reason: string,
): Promise<void> {
  const data = opBatchJobSchema.parse(stored);
  const writes = new RedisWriteBatch(stores.redis);
  const at = new Date().toISOString();
  const tally = new OutcomeTally();
  const events: Omit<ProvisioningEvent, 'id'>[] = [];
  for (const op of data.ops) {
    tally.add(op.kind, 'failed');
    events.push(
      await recordFailure(stores, tenant, data.runId, op, { reason, failure: INTERNAL }, at, writes),
    );
  }
  await stores.events.appendAll(tenant, events, writes);
  await tally.record(stores, tenant, data.runId, writes);
  await stores.pendingOps.end(tenant, data.opIds, writes);
  await writes.exec();
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
    this.#members.added += result.membersAdded?.length ?? 0;
    this.#members.removed += result.membersRemoved?.length ?? 0;
  }

  async record(stores: RedisStores, tenant: string, runId: string, batch: WriteBatch): Promise<void> {
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
    ...namesOf(op),
    op: op.kind,
  };
}

/**
 * A success, with what the op sent (never a value of a path that could hold a secret) and the
 * members it added or removed, the first ones listed: the run page's diff reads them.
 */
function successEvent(runId: string, op: Op, result: ApplyResult, at: string): Omit<ProvisioningEvent, 'id'> {
  const changes = (result.changes ?? []).filter((change) => !mayHoldSecret(change.path));
  const members = eventMembers(result.membersAdded ?? [], result.membersRemoved ?? []);
  return {
    ...eventOf(runId, op, at),
    outcome: 'success',
    ...(result.targetId ? { targetId: result.targetId } : {}),
    ...(result.note ? { reason: result.note } : {}),
    ...(changes.length > 0 ? { changes } : {}),
    ...(members ? { members } : {}),
  };
}

/**
 * A failure for good (counted by the caller's tally): kept with its reason and left for the next
 * run; returns its provisioning-log event for the caller to append with the batch's others.
 */
async function recordFailure(
  stores: RedisStores,
  tenant: string,
  runId: string,
  op: Op,
  { reason, failure }: { readonly reason: string; readonly failure: RecordedFailure },
  at: string,
  batch: WriteBatch,
): Promise<Omit<ProvisioningEvent, 'id'>> {
  const objectType = objectTypeOf(op);
  await stores.runs.addFailure(
    tenant,
    runId,
    { objectType, externalId: op.externalId, op: op.kind, reason, failureClass: failure },
    batch,
  );
  await stores.state.markForRetry(tenant, objectType, op.externalId, batch);
  return { ...eventOf(runId, op, at), outcome: 'failure', reason };
}

function objectTypeOf(op: Op): 'user' | 'group' {
  return op.kind.endsWith('User') ? 'user' : 'group';
}

/** What support staff search the log by: a user's userName and work email, a group's displayName. */
function namesOf(op: Op): { subject?: string; email?: string } {
  if ('attributes' in op) {
    const { userName, [WORK_EMAIL_PATH]: email } = op.attributes;
    return { ...(userName ? { subject: userName } : {}), ...(email ? { email } : {}) };
  }
  if ('displayName' in op) return { subject: op.displayName };
  return {};
}
