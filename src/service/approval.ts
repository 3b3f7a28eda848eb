import type { RunRecord } from '../model/run.js';
import type { QueueSet } from '../queue/queues.js';
import { keys } from '../runs/keys.js';
import type { RedisStores } from '../runs/redis/stores.js';
import { requestOf } from '../runs/requestRun.js';

export type ApprovalOutcome =
  | { readonly approved: true; readonly run: RunRecord }
  | {
      readonly approved: false;
      readonly problem: 'unknownRun' | 'notHeld' | 'expired';
      readonly message: string;
    };

/**
 * Releases a held run: the first approval wins and marks the run queued; the plan it was held
 * with is applied as it stands, under the same run id. `apply` hands it to a worker (the queue,
 * or this process with `--inline`).
 */
export async function approveHeldRun(
  stores: RedisStores,
  tenant: string,
  runId: string,
  apply: (run: RunRecord) => Promise<void>,
): Promise<ApprovalOutcome> {
  const run = await stores.runs.get(tenant, runId);
  if (!run) return { approved: false, problem: 'unknownRun', message: `no run ${runId} of tenant ${tenant}` };
  if (run.status !== 'held') {
    return { approved: false, problem: 'notHeld', message: `run ${runId} is ${run.status}, not held` };
  }
  if (!(await stores.redis.exists(keys.runPlan(tenant, runId)))) {
    const expired = await stores.runs.update(tenant, runId, {
      status: 'expired',
      finishedAt: new Date().toISOString(),
    });
    return { approved: false, problem: 'expired', message: `the held plan of run ${expired.id} has expired` };
  }
  const first = await stores.redis.set(
    keys.approval(tenant, runId),
    new Date().toISOString(),
    'EX',
    86_400,
    'NX',
  );
  if (first !== 'OK')
    return { approved: false, problem: 'notHeld', message: `run ${runId} is already approved` };
  const queued = await stores.runs.update(tenant, runId, { status: 'queued' });
  try {
    await apply(queued);
  } catch (error) {
    await stores.runs.update(tenant, runId, { status: 'held' });
    await stores.redis.del(keys.approval(tenant, runId));
    throw error;
  }
  return { approved: true, run: queued };
}

export interface ApprovalDependencies {
  readonly stores: RedisStores;
  readonly queues: QueueSet;
}

/** Approval through the queue: a reconcile worker applies the held plan. */
export function approveThroughQueue(
  deps: ApprovalDependencies,
  tenant: string,
  runId: string,
): Promise<ApprovalOutcome> {
  return approveHeldRun(deps.stores, tenant, runId, (run) =>
    deps.queues.enqueueRun({ ...requestOf(run), trigger: 'approve' }, approvalJobId(run.id)),
  );
}

/** The reconcile job that applies an approved run: its own id, as the run's first job may still be kept. */
export function approvalJobId(runId: string): string {
  return `${runId}-approve`;
}
