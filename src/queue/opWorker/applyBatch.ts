import type { RecordedFailure } from '../../model/failure.js';
import type { Op } from '../../model/plan.js';
import { OpDurations } from '../../observability/opDurations.js';
import { RunCallCounter } from '../../runs/callCounter.js';
import { describeError, recordedFailureOf } from '../../runs/errors.js';
import { OwnershipChanges } from '../../runs/ownershipChanges.js';
import type { Stores } from '../../runs/ports.js';
import type { TenantRuntime } from '../../runs/runtime.js';
import type { ConcurrencyLimiter } from '../../util/concurrencyLimiter.js';
import { type ApplyResult, applyOp, memberExternalIdsOf, TerminalOpError } from '../applyOp.js';
import { OP_ATTEMPTS } from '../queues.js';
import type { DecodedBatch } from './decodeBatch.js';

export type Outcome = { readonly op: Op; readonly id: string } & (
  | { readonly ended: 'success'; readonly result: ApplyResult }
  | { readonly ended: 'failure' | 'retry'; readonly reason: string; readonly failure: RecordedFailure }
);

/** What applying a batch did: each op's outcome, and what the batch records beside them. */
export interface AppliedBatch {
  readonly outcomes: readonly Outcome[];
  readonly counter: RunCallCounter;
  readonly ownership: OwnershipChanges;
  readonly durations: OpDurations;
}

export interface BatchApplier {
  readonly stores: Stores;
  readonly runtime: TenantRuntime;
  /** The tenant's platform concurrency, shared by the batches in flight. */
  readonly platformSlots: ConcurrencyLimiter;
}

/**
 * Converges each op's object, the batch's platform calls in flight together up to the tenant's
 * socket pool. An op never throws out of here: it ends succeeded, failed for good, or to retry.
 */
export async function applyBatch(batch: DecodedBatch, applier: BatchApplier): Promise<AppliedBatch> {
  const { stores, runtime, platformSlots } = applier;
  const { tenant, ops, opIds, attempt, reread } = batch;
  const counter = new RunCallCounter();
  const platform = runtime.platform(counter);
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
          const failure = error instanceof TerminalOpError ? error.failure : recordedFailureOf(error);
          const final = !triedAgain(failure) || attempt + 1 >= OP_ATTEMPTS;
          return { op, id, ended: final ? 'failure' : 'retry', reason, failure };
        } finally {
          durations.observe(op.kind, (performance.now() - started) / 1000);
        }
      }),
    ),
  );
  return { outcomes, counter, ownership, durations };
}

/**
 * Classes an op's job tries again after its backoff (throttling is waited out in the client first).
 * A bad request, a conflict nobody may adopt, an object gone after the op's own recreate, or refused
 * credentials fail the op for good and the run goes on. An unreachable platform and a fault of
 * dirsync's own are tried again too: the op cannot stop the run, and the next attempt may get through.
 */
function triedAgain(failure: RecordedFailure): boolean {
  if (failure.class === 'fatal') return failure.cause === 'unreachable';
  return failure.class === 'transient' || failure.class === 'throttled' || failure.class === 'internal';
}
