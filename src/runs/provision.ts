import {
  computeDesired,
  type DesiredState,
  focusOnSubjects,
  planFocused,
  platformQueriesFor,
} from '../engine/index.js';
import type { LookupFallback } from '../model/platform.js';
import {
  PROVISION_LIMITS,
  type ProvisionAnswer,
  type ProvisionRequest,
  type SubjectTrace,
} from '../model/provision.js';
import type { ProvisioningEvent } from '../model/run.js';
import type { ScimGroupState } from '../model/scim.js';
import type { SubjectLookup } from '../model/source.js';
import { runAttributes, withTrace } from '../observability/tracing.js';
import { describeError } from './errors.js';
import { applyPlan } from './pipeline/applyPlan.js';
import { type PipelineDependencies, startRun } from './pipeline/context.js';
import { ON_DEMAND_PRIORITY } from './pipeline/enqueueOps.js';
import { failRun, finishRun } from './pipeline/finishRun.js';
import { groupSubjectTrace, type TraceInputs, userSubjectTrace } from './provisionTrace.js';
import { recordRun, requestOf } from './requestRun.js';

export class ProvisionLimitError extends Error {
  override readonly name = 'ProvisionLimitError';
}

export interface ProvisionDependencies extends PipelineDependencies {
  /** Queues a full run for what is not applied at once (members of very large groups). */
  readonly requestFollowUp: () => Promise<string>;
}

/**
 * Provision on demand (README, "On demand"): the run pipeline narrowed to named subjects — a lookup instead of
 * a read, a plan focused on them, ops ahead of scheduled work — answered with a trace per subject.
 * It takes no tenant lock and commits no cursor: it reads no change feed, and its ops converge
 * objects the same way a concurrent run's would. No safety guard: an operator named each subject.
 */
export async function provisionOnDemand(
  request: ProvisionRequest,
  deps: ProvisionDependencies,
): Promise<ProvisionAnswer> {
  const subjectCount = request.users.length + request.groups.length;
  if (subjectCount === 0) throw new ProvisionLimitError('name at least one user or group');
  if (subjectCount > PROVISION_LIMITS.maxSubjects) {
    throw new ProvisionLimitError(
      `at most ${PROVISION_LIMITS.maxSubjects} subjects per request (got ${subjectCount})`,
    );
  }
  const { stores, runtime } = deps;
  const tenant = runtime.config.id;
  const record = await recordRun(stores, { tenant, mode: 'incremental', trigger: 'provision' });
  const run = await startRun(requestOf(record), deps);
  const { counter, phases, started } = run;
  let lookup: SubjectLookup;
  try {
    lookup = await (await runtime.source(counter)).lookup(request);
  } catch (error) {
    // The source refused or failed the whole lookup (credentials refused, host unreachable):
    // every subject's trace ends at its import step, with the source's reason; the run fails.
    await failRun(run, error);
    return { runId: record.id, results: failedLookups(request, describeError(error)) };
  }
  try {
    const resolvedIds = (references: readonly string[]) =>
      references.flatMap((reference) => lookup.resolved[reference] ?? []);
    const full = computeDesired(lookup.snapshot, runtime.settings);
    const { desired, deferredMembers } = applyNowAtMost(
      full,
      resolvedIds(request.groups),
      PROVISION_LIMITS.membersAppliedAtOnce,
    );
    const focus = focusOnSubjects(desired, {
      userIds: resolvedIds(request.users),
      groupIds: resolvedIds(request.groups),
    });
    const platform = runtime.platform(counter);
    const queries = platformQueriesFor(desired, focus);
    const lookupFallbacks: LookupFallback[] = [];
    const observe = (fallback: LookupFallback) => lookupFallbacks.push(fallback);
    const [users, groups, owned] = await Promise.all([
      platform.findUsers(queries.users, observe),
      platform.findGroups(queries.groups, observe),
      stores.state.owned(tenant),
    ]);
    await stores.runs.update(tenant, record.id, phases.enter('plan'));
    const plan = planFocused({
      desired,
      platform: { users, groups },
      owned,
      settings: runtime.settings,
      focus,
    });
    const namedGroups = new Set(focus.groupIds);
    const groupOps = plan.groupOps.filter((op) => {
      // A group applied in part must not lose the members it already has beyond the part.
      if (op.kind === 'removeMembers' && deferredMembers.has(op.externalId)) return false;
      // A named user joins only groups already on the platform; a group not there yet gets its
      // members when it is provisioned or a run creates it.
      return !(op.kind === 'addMembers' && !op.targetId && !namedGroups.has(op.externalId));
    });
    const attributes = { ...runAttributes(tenant, record.id), 'dirsync.provision.subjects': subjectCount };
    await withTrace('dirsync.provision', attributes, () =>
      applyPlan(deps, record.id, { ...plan, groupOps }, { priority: ON_DEMAND_PRIORITY, phases }),
    );
    await finishRun(run, {});

    const followUpRunId = deferredMembers.size > 0 ? await deps.requestFollowUp() : undefined;
    const inputs: TraceInputs = {
      resolved: lookup.resolved,
      ...(lookup.failed ? { failed: lookup.failed } : {}),
      users: new Map(lookup.snapshot.users.map((user) => [user.id, user])),
      groupNames: new Map(lookup.snapshot.groups.map((group) => [group.id, group.displayName])),
      userTraces: new Map(plan.userTraces.map((trace) => [trace.externalId, trace])),
      groupTraces: new Map(plan.groupTraces.map((trace) => [trace.externalId, trace])),
      outcomes: await outcomesOf(deps, record.id, started),
      deferredMembers,
      lookupFallbacks,
    };
    return {
      runId: record.id,
      results: [
        ...request.users.map((reference) => userSubjectTrace(reference, inputs)),
        ...request.groups.map((reference) => groupSubjectTrace(reference, inputs)),
      ],
      ...(followUpRunId
        ? {
            followUpRunId,
            note: `members beyond the first ${PROVISION_LIMITS.membersAppliedAtOnce} of a group are applied by run ${followUpRunId}`,
          }
        : {}),
    };
  } catch (error) {
    await failRun(run, error);
    throw error;
  }
}

function failedLookups(request: ProvisionRequest, reason: string): SubjectTrace[] {
  const failed = Object.fromEntries(
    [...request.users, ...request.groups].map((reference) => [reference, reason]),
  );
  const inputs: TraceInputs = {
    resolved: {},
    failed,
    users: new Map(),
    groupNames: new Map(),
    userTraces: new Map(),
    groupTraces: new Map(),
    outcomes: new Map(),
    deferredMembers: new Map(),
    lookupFallbacks: [],
  };
  return [
    ...request.users.map((reference) => userSubjectTrace(reference, inputs)),
    ...request.groups.map((reference) => groupSubjectTrace(reference, inputs)),
  ];
}

/** Named groups keep their first `limit` members now; how many more wait for the follow-up run. */
function applyNowAtMost(
  desired: DesiredState,
  groupIds: readonly string[],
  limit: number,
): { desired: DesiredState; deferredMembers: Map<string, number> } {
  const deferredMembers = new Map<string, number>();
  const groups = new Map<string, ScimGroupState>(desired.groups);
  for (const groupId of groupIds) {
    const group = groups.get(groupId);
    if (!group || group.memberExternalIds.length <= limit) continue;
    deferredMembers.set(groupId, group.memberExternalIds.length - limit);
    groups.set(groupId, { ...group, memberExternalIds: group.memberExternalIds.slice(0, limit) });
  }
  return { desired: deferredMembers.size > 0 ? { ...desired, groups } : desired, deferredMembers };
}

async function outcomesOf(
  deps: PipelineDependencies,
  runId: string,
  started: Date,
): Promise<Map<string, ProvisioningEvent>> {
  const outcomes = new Map<string, ProvisioningEvent>();
  // The run's events all come after its start.
  let after: string | undefined = deps.stores.events.cursorAt(started);
  for (;;) {
    const page = await deps.stores.events.read(deps.runtime.config.id, {
      runId,
      limit: 1000,
      ...(after ? { after } : {}),
    });
    for (const event of page.events) outcomes.set(event.externalId, event);
    if (page.events.length < 1000 || !page.next) return outcomes;
    after = page.next;
  }
}
