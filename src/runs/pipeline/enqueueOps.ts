import type { Op, OpKind } from '../../model/plan.js';
import { opId } from '../opIds.js';
import { type OpBatch, opsPerJob } from '../runQueues.js';
import { nextStep, type PipelineDependencies } from './context.js';

const ENQUEUE_CHUNK = 1000;
const NONE_PENDING: ReadonlySet<string> = new Set();
/**
 * BullMQ takes jobs without a priority before any prioritised job: runs' ops carry this one, so
 * that on-demand provisioning (priority 0: none) jumps ahead of scheduled work.
 */
export const RUN_PRIORITY = 10;
export const ON_DEMAND_PRIORITY = 0;

/** The op ids this run added, and those an earlier run had enqueued and are still pending. */
export interface EnqueuedOps {
  readonly added: readonly string[];
  readonly pendingElsewhere: readonly string[];
}

/** Adds the ops in batch jobs, but none whose op id is already pending. */
export async function enqueueOps(
  deps: PipelineDependencies,
  runId: string,
  ops: readonly Op[],
  priority = RUN_PRIORITY,
): Promise<EnqueuedOps> {
  const tenant = deps.runtime.config.id;
  const perJob = opsPerJob(deps.runtime.config.target.maxRequestsPerSecond);
  const added: string[] = [];
  const pendingElsewhere: string[] = [];
  const planned: Partial<Record<OpKind, number>> = {};
  // Mostly nothing is pending when a run starts; then no op needs looking up.
  const anyPending = await deps.stores.pendingOps.any(tenant);
  // The first chunk is two jobs' worth, so that workers start on it while the rest is enqueued:
  // the platform is not left waiting for the whole plan to reach Redis.
  for (let start = 0, size = 2 * perJob; start < ops.length; start += size, size = ENQUEUE_CHUNK) {
    nextStep(deps);
    const chunk = ops.slice(start, start + size).map((op) => ({ op, id: opId(op) }));
    const pending = anyPending
      ? await deps.stores.pendingOps.pending(
          tenant,
          chunk.map((entry) => entry.id),
        )
      : NONE_PENDING;
    const fresh = chunk.filter((entry) => !pending.has(entry.id));
    pendingElsewhere.push(...pending);
    await deps.stores.pendingOps.add(
      tenant,
      fresh.map((entry) => entry.id),
    );
    const batches: OpBatch[] = [];
    for (let at = 0; at < fresh.length; at += perJob) {
      const batch = fresh.slice(at, at + perJob);
      batches.push({
        tenant,
        runId,
        attempt: 0,
        ops: batch.map((entry) => entry.op),
        opIds: batch.map((entry) => entry.id),
      });
    }
    await deps.queues.enqueueOpBatches(tenant, batches, priority);
    for (const { op, id } of fresh) {
      planned[op.kind] = (planned[op.kind] ?? 0) + 1;
      added.push(id);
    }
  }
  await deps.stores.runs.countPlanned(tenant, runId, planned);
  return { added, pendingElsewhere };
}
