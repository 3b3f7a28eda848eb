import type { Op, Plan } from '../../model/plan.js';
import { runAttributes, withSpan } from '../../observability/tracing.js';
import type { PhaseTimer } from '../phaseTimer.js';
import { nextStep, type PipelineDependencies } from './context.js';
import { enqueueOps } from './enqueueOps.js';
import { awaitOps } from './followOps.js';

export interface ApplyOptions {
  /** Runs once every op is safely in Redis. */
  readonly onEnqueued?: () => Promise<void>;
  readonly priority?: number;
  readonly phases: PhaseTimer;
}

/**
 * Applies a plan through the op queue: every user op ends before the first group op is enqueued,
 * so groups find their members. A group this plan creates with more members than one request
 * carries gets the rest from member ops, which need the group on the platform: those groups are
 * created first, and the rest of the group ops follow, so no member op fails for want of its
 * group and waits out a retry.
 */
export async function applyPlan(
  deps: PipelineDependencies,
  runId: string,
  plan: Plan,
  options: ApplyOptions,
): Promise<void> {
  const tenant = deps.runtime.config.id;
  const { phases, priority } = options;
  const attributes = runAttributes(tenant, runId);
  await deps.stores.runs.update(tenant, runId, { status: 'applying', ...phases.enter('users') });
  await withSpan('dirsync.users', { ...attributes, 'dirsync.op.count': plan.userOps.length }, async () =>
    awaitOps(deps, runId, await enqueueOps(deps, runId, plan.userOps, priority)),
  );
  await deps.stores.runs.update(tenant, runId, phases.enter('groups'));
  await withSpan('dirsync.groups', { ...attributes, 'dirsync.op.count': plan.groupOps.length }, async () => {
    const completedLater = new Set(plan.groupOps.filter(isMemberOpOfNewGroup).map((op) => op.externalId));
    const createdFirst = plan.groupOps.filter(
      (op) => op.kind === 'createGroup' && completedLater.has(op.externalId),
    );
    if (createdFirst.length > 0)
      await awaitOps(deps, runId, await enqueueOps(deps, runId, createdFirst, priority));
    const groupJobs = await enqueueOps(
      deps,
      runId,
      createdFirst.length > 0 ? without(plan.groupOps, new Set(createdFirst)) : plan.groupOps,
      priority,
    );
    nextStep(deps);
    const { onEnqueued } = options;
    if (onEnqueued) await withSpan('dirsync.commit', attributes, onEnqueued);
    await awaitOps(deps, runId, groupJobs);
  });
}

function without(ops: readonly Op[], left: ReadonlySet<Op>): Op[] {
  return ops.filter((op) => !left.has(op));
}

/** The planner names no platform group for member ops of a group it creates: there is none yet. */
function isMemberOpOfNewGroup(op: Op): boolean {
  return (op.kind === 'addMembers' || op.kind === 'removeMembers') && op.targetId === undefined;
}
