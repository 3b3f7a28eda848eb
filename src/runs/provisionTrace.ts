import {
  type DesiredUser,
  type EngineSettings,
  explainScope,
  type GroupTrace,
  type UserTrace,
} from '../engine/index.js';
import type { DirectoryUser } from '../model/directory.js';
import type { LookupFallback } from '../model/platform.js';
import type { ProvisionRequest, ProvisionStep, StepStatus, SubjectTrace } from '../model/provision.js';
import type { ProvisioningEvent } from '../model/run.js';

/** Characters of a subject the answer repeats. */
const SUBJECT_ECHOED = 256;

/**
 * Dresses the engine's decision and the workers' outcomes as Entra-style step traces. Pure: the
 * lookup, the plan's traces and the run's events go in, the answer comes out.
 */
export interface TraceInputs {
  readonly resolved: Readonly<Record<string, string>>;
  /** References the source could not look up, with its reason. */
  readonly failed?: Readonly<Record<string, string>>;
  readonly users: ReadonlyMap<string, DirectoryUser>;
  /** Scope decisions and mapped values by source id. */
  readonly desiredUsers: ReadonlyMap<string, DesiredUser>;
  readonly settings: EngineSettings;
  readonly userTraces: ReadonlyMap<string, UserTrace>;
  readonly groupTraces: ReadonlyMap<string, GroupTrace>;
  readonly groupNames: ReadonlyMap<string, string>;
  /** The last event per object of this run. */
  readonly outcomes: ReadonlyMap<string, ProvisioningEvent>;
  /** Member counts of named groups that are applied by a queued follow-up run. */
  readonly deferredMembers: ReadonlyMap<string, number>;
  /** Platform lookups that a filter could not answer and a scan did. */
  readonly lookupFallbacks: readonly LookupFallback[];
}

/**
 * How far a provision on demand has got: the subjects looked up (each trace ends at its import
 * step unless the lookup failed it), planned (scope, mapping, match and the action to take, not yet
 * applied), or applied (the action's outcome: the answer itself).
 */
export type ProvisionStage = 'imported' | 'planned' | 'applied';

/** The traces known at a stage, for a caller that shows steps as they arrive. */
export interface ProvisionProgress {
  readonly stage: ProvisionStage;
  readonly runId: string;
  readonly results: readonly SubjectTrace[];
  /** At the end: members of a large group left to a queued run. */
  readonly note?: string;
}

/** Each subject's trace up to its import step: what is known once the source answered the lookup. */
export function importedTraces(request: ProvisionRequest, inputs: TraceInputs): SubjectTrace[] {
  return subjectTraces(request, inputs).map((trace) => {
    const [imported] = trace.steps;
    return ended(trace.subject, trace.kind, imported ? [imported] : []);
  });
}

/** One trace per named subject, users first, each in the request's order. */
export function subjectTraces(request: ProvisionRequest, inputs: TraceInputs): SubjectTrace[] {
  return [
    ...request.users.map((reference) => userSubjectTrace(reference, inputs)),
    ...request.groups.map((reference) => groupSubjectTrace(reference, inputs)),
  ];
}

export function userSubjectTrace(reference: string, inputs: TraceInputs): SubjectTrace {
  const sourceId = inputs.resolved[reference];
  const user = sourceId ? inputs.users.get(sourceId) : undefined;
  if (!sourceId || !user) return ended(reference, 'user', [notFound(reference, inputs)]);
  const steps: ProvisionStep[] = [
    {
      step: 'import',
      status: 'success',
      details: { sourceId, active: user.active, attributes: user.attributes },
    },
  ];
  const trace = inputs.userTraces.get(sourceId);
  if (!trace)
    return ended(reference, 'user', [...steps, failure('scope', 'the plan did not consider this user')]);
  const deprovisions = trace.action === 'deactivateUser' || trace.action === 'deleteUser';
  const desired = inputs.desiredUsers.get(sourceId);
  const scope = desired ? explainScope(user, desired, inputs.settings) : undefined;
  const explained = scope
    ? {
        rule: scope.rule,
        decidedBy: scope.decidedBy,
        ...(scope.filters.length > 0 ? { filters: scope.filters } : {}),
      }
    : {};
  if (!trace.inScope && !deprovisions) {
    steps.push({
      step: 'scope',
      status: 'skipped',
      details: {
        inScope: false,
        reason: trace.reason,
        ...explained,
        ...(trace.detail ? { detail: trace.detail } : {}),
      },
    });
    return ended(reference, 'user', steps);
  }
  steps.push({
    step: 'scope',
    status: 'success',
    details: { inScope: trace.inScope, reason: trace.reason, ...explained },
  });
  if (desired && trace.inScope) {
    // The values a create or an update sends, as the tenant's mapping turns the source's into SCIM's.
    steps.push({
      step: 'mapping',
      status: 'success',
      details: { active: desired.state.active, attributes: desired.state.attributes },
    });
  }
  if (trace.problem) return ended(reference, 'user', [...steps, failure('match', trace.problem)]);
  steps.push(matchStep(trace, 'no platform account yet', lookupNotes(inputs, 'Users')));
  steps.push(actionStep(trace.action, trace.changes, trace.detail, inputs.outcomes.get(sourceId)));
  return ended(reference, 'user', steps);
}

export function groupSubjectTrace(reference: string, inputs: TraceInputs): SubjectTrace {
  const sourceId = inputs.resolved[reference];
  const name = sourceId ? inputs.groupNames.get(sourceId) : undefined;
  if (!sourceId || name === undefined) return ended(reference, 'group', [notFound(reference, inputs)]);
  const trace = inputs.groupTraces.get(sourceId);
  const steps: ProvisionStep[] = [
    { step: 'import', status: 'success', details: { sourceId, displayName: name } },
  ];
  if (!trace)
    return ended(reference, 'group', [...steps, failure('scope', 'the plan did not consider this group')]);
  if (!trace.pushed && trace.action !== 'deleteGroup') {
    steps.push({
      step: 'scope',
      status: 'skipped',
      details: { inScope: false, reason: trace.detail ?? 'the group is not pushed by this tenant’s scope' },
    });
    return ended(reference, 'group', steps);
  }
  steps.push({ step: 'scope', status: 'success', details: { inScope: trace.pushed } });
  if (trace.problem) return ended(reference, 'group', [...steps, failure('match', trace.problem)]);
  steps.push(matchStep(trace, 'no platform group yet', lookupNotes(inputs, 'Groups')));
  const action = actionStep(trace.action, trace.changes, trace.detail, inputs.outcomes.get(sourceId));
  const deferred = inputs.deferredMembers.get(sourceId);
  steps.push({
    ...action,
    details: {
      ...action.details,
      membersAdded: trace.membersAdded,
      membersRemoved: trace.membersRemoved,
      ...(deferred
        ? { membersDeferred: deferred, note: `${deferred} more members are applied by a queued run` }
        : {}),
    },
  });
  return ended(reference, 'group', steps);
}

function actionStep(
  action: string,
  changes: readonly unknown[],
  detail: string | undefined,
  outcome: ProvisioningEvent | undefined,
): ProvisionStep {
  if (action === 'none')
    return {
      step: 'action',
      status: 'success',
      details: { action: 'none', reason: detail ?? 'already in the desired state' },
    };
  if (outcome?.outcome === 'failure')
    return { step: 'action', status: 'failure', details: { action, changes, reason: outcome.reason } };
  return {
    step: 'action',
    status: 'success',
    details: { action, changes, ...(outcome?.targetId ? { targetId: outcome.targetId } : {}) },
  };
}

function matchStep(
  trace: UserTrace | GroupTrace,
  unmatched: string,
  lookup: readonly string[],
): ProvisionStep {
  return {
    step: 'match',
    status: 'success',
    details: {
      ...(trace.targetId
        ? { matchedBy: trace.matchedBy ?? 'externalId', targetId: trace.targetId }
        : { matchedBy: null, note: unmatched }),
      ...(lookup.length > 0 && { lookup }),
    },
  };
}

/** "filter on userName refused by the platform; found by scanning 1200 users", one per fallback. */
function lookupNotes(inputs: TraceInputs, resourceType: LookupFallback['resourceType']): string[] {
  return inputs.lookupFallbacks
    .filter((fallback) => fallback.resourceType === resourceType)
    .map((fallback) => {
      const why = {
        refused: 'refused by the platform',
        undecoded: 'found nothing for a value the platform does not decode',
        caseExact: 'found nothing on a platform that compares it with case',
      }[fallback.reason];
      const kind = resourceType === 'Users' ? 'users' : 'groups';
      const outcome = fallback.found > 0 ? 'found by scanning' : 'nothing found by scanning';
      return `filter on ${fallback.attribute} ${why}; ${outcome} ${fallback.scanned} ${kind}`;
    });
}

function notFound(reference: string, inputs: TraceInputs): ProvisionStep {
  const lookupFailure = inputs.failed?.[reference];
  return failure(
    'import',
    lookupFailure === undefined
      ? `no user or group "${shortened(reference, 64)}" in the source`
      : `the source could not look "${shortened(reference, 64)}" up: ${lookupFailure}`,
  );
}

/**
 * A reference as the answer repeats it: a request of 50 references of 1,024 characters must not
 * come back several times its size. The results keep the request's order.
 */
function shortened(reference: string, length: number): string {
  return reference.length > length ? `${reference.slice(0, length)}…` : reference;
}

function failure(step: ProvisionStep['step'], reason: string): ProvisionStep {
  return { step, status: 'failure', details: { reason } };
}

function ended(subject: string, kind: 'user' | 'group', steps: readonly ProvisionStep[]): SubjectTrace {
  const statuses = steps.map((step) => step.status);
  const status: StepStatus = statuses.includes('failure')
    ? 'failure'
    : statuses.includes('skipped')
      ? 'skipped'
      : 'success';
  return { subject: shortened(subject, SUBJECT_ECHOED), kind, status, steps };
}
