import {
  computeDesired,
  type DesiredState,
  type EngineSettings,
  type FocusedPlan,
  focusOnSubjects,
  planFocused,
} from '../engine/index.js';
import type { LookupFallback } from '../model/platform.js';
import { PROVISION_LIMITS, type ProvisionRequest } from '../model/provision.js';
import type { ScimGroupState } from '../model/scim.js';
import type { CallCounter, SubjectLookup } from '../model/source.js';
import { describeError } from './errors.js';
import { readFocusedPlatform } from './focusedPlatformRead.js';
import type { PipelineDependencies } from './pipeline/context.js';
import type { TraceInputs } from './provisionTrace.js';

export class ProvisionLimitError extends Error {
  override readonly name = 'ProvisionLimitError';
}

/** What on-demand provisioning would do for named subjects: decided, not yet applied. */
export interface OnDemandPlan {
  readonly lookup: SubjectLookup;
  readonly desired: DesiredState;
  readonly plan: FocusedPlan;
  /** Member counts of named groups beyond what is applied at once. */
  readonly deferredMembers: ReadonlyMap<string, number>;
  readonly lookupFallbacks: readonly LookupFallback[];
}

export type OnDemandDecision =
  | { readonly kind: 'planned'; readonly planned: OnDemandPlan }
  /** The source refused or failed the whole lookup (credentials refused, host unreachable). */
  | { readonly kind: 'lookupFailed'; readonly reason: string; readonly error: unknown };

export function checkSubjectCount(request: ProvisionRequest): number {
  const subjectCount = request.users.length + request.groups.length;
  if (subjectCount === 0) throw new ProvisionLimitError('name at least one user or group');
  if (subjectCount > PROVISION_LIMITS.maxSubjects) {
    throw new ProvisionLimitError(
      `at most ${PROVISION_LIMITS.maxSubjects} subjects per request (got ${subjectCount})`,
    );
  }
  return subjectCount;
}

/** Where a caller of `planOnDemand` may step in: to show the lookup, or mark its run's phase. */
export interface OnDemandHooks {
  readonly afterLookup?: (lookup: SubjectLookup) => void;
  readonly beforePlan?: () => Promise<void>;
}

/**
 * The part provision on demand and explain share: look the subjects up, compute their desired
 * state, read the platform objects they concern and plan. It writes nothing anywhere; `beforePlan`
 * lets a run mark its phase.
 */
export async function planOnDemand(
  request: ProvisionRequest,
  deps: Pick<PipelineDependencies, 'stores' | 'runtime'>,
  counter: CallCounter,
  hooks: OnDemandHooks = {},
): Promise<OnDemandDecision> {
  const { stores, runtime } = deps;
  let lookup: SubjectLookup;
  try {
    lookup = await (await runtime.source(counter)).lookup(request);
  } catch (error) {
    return { kind: 'lookupFailed', reason: describeError(error), error };
  }
  hooks.afterLookup?.(lookup);
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
  const lookupFallbacks: LookupFallback[] = [];
  const observe = (fallback: LookupFallback) => lookupFallbacks.push(fallback);
  const [platform, owned] = await Promise.all([
    readFocusedPlatform(runtime.platform(counter), desired, focus, runtime.settings.matching, observe),
    stores.state.owned(runtime.config.id),
  ]);
  await hooks.beforePlan?.();
  const plan = planFocused({
    desired,
    platform,
    owned,
    settings: runtime.settings,
    focus,
  });
  return { kind: 'planned', planned: { lookup, desired, plan, deferredMembers, lookupFallbacks } };
}

/** What the step traces of a planned request are built from; `outcomes` are the applied ops' events, if any. */
export function traceInputsOf(
  planned: OnDemandPlan,
  settings: EngineSettings,
  outcomes: TraceInputs['outcomes'],
): TraceInputs {
  const { lookup, desired, plan } = planned;
  return {
    resolved: lookup.resolved,
    ...(lookup.failed ? { failed: lookup.failed } : {}),
    users: new Map(lookup.snapshot.users.map((user) => [user.id, user])),
    desiredUsers: desired.users,
    settings,
    groupNames: new Map(lookup.snapshot.groups.map((group) => [group.id, group.displayName])),
    userTraces: new Map(plan.userTraces.map((trace) => [trace.externalId, trace])),
    groupTraces: new Map(plan.groupTraces.map((trace) => [trace.externalId, trace])),
    outcomes,
    deferredMembers: planned.deferredMembers,
    lookupFallbacks: planned.lookupFallbacks,
  };
}

/** Trace inputs of a lookup before anything is planned: enough for the import steps. */
export function lookedUpInputs(lookup: SubjectLookup, settings: EngineSettings): TraceInputs {
  return {
    resolved: lookup.resolved,
    ...(lookup.failed ? { failed: lookup.failed } : {}),
    users: new Map(lookup.snapshot.users.map((user) => [user.id, user])),
    desiredUsers: new Map(),
    settings,
    groupNames: new Map(lookup.snapshot.groups.map((group) => [group.id, group.displayName])),
    userTraces: new Map(),
    groupTraces: new Map(),
    outcomes: new Map(),
    deferredMembers: new Map(),
    lookupFallbacks: [],
  };
}

/** Trace inputs where every named subject ends at its import step with the source's `reason`. */
export function failedLookupInputs(
  request: ProvisionRequest,
  reason: string,
  settings: EngineSettings,
): TraceInputs {
  const failed = Object.fromEntries(
    [...request.users, ...request.groups].map((reference) => [reference, reason]),
  );
  return {
    resolved: {},
    failed,
    users: new Map(),
    desiredUsers: new Map(),
    settings,
    groupNames: new Map(),
    userTraces: new Map(),
    groupTraces: new Map(),
    outcomes: new Map(),
    deferredMembers: new Map(),
    lookupFallbacks: [],
  };
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
