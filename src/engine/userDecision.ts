import type { AttributeChange, Op, OpKind } from '../model/plan.js';
import type { PlatformUser, ScimPath } from '../model/scim.js';
import type { DesiredUser } from './desired.js';
import { userChanges } from './diff.js';
import { type LinkMethod, type Match, USER_NAME_PATH } from './match.js';
import type { EngineSettings } from './settings.js';

/** Everything an operator needs to see why a user got (or did not get) an op. */
export interface UserTrace {
  readonly externalId: string;
  readonly inScope: boolean;
  readonly reason: string;
  readonly matchedBy?: LinkMethod;
  readonly targetId?: string;
  readonly action: OpKind | 'none';
  readonly changes: readonly AttributeChange[];
  /** Why the action is `none`, when that is not obvious. */
  readonly detail?: string;
  /** Set when the user cannot be planned; the reason an operator reads. */
  readonly problem?: string;
}

export interface UserDecision {
  readonly op?: Op;
  readonly trace: UserTrace;
  /** Whether the user is in scope and will have a platform account after the plan: a group may hold it. */
  readonly joinsGroups: boolean;
}

interface UserSubject {
  readonly externalId: string;
  /** Absent when the user is no longer in the source. */
  readonly desired: DesiredUser | undefined;
  /** For a user gone from the source, only a managed platform user may be linked. */
  readonly match: Match<PlatformUser>;
}

/** What the decision comes to, before it is dressed as a trace. */
interface Outcome {
  readonly op?: Op;
  readonly changes?: AttributeChange[];
  readonly detail?: string;
  readonly problem?: string;
}

const NO_CHANGES: readonly AttributeChange[] = [];

function reconcile(
  desired: DesiredUser,
  target: PlatformUser,
  matchedBy: LinkMethod,
  paths: readonly ScimPath[],
): Outcome {
  const { externalId, active, attributes } = desired.state;
  const changes = userChanges(desired.state, target, paths);
  if (changes.length === 0) return { detail: 'already up to date' };
  const targetId = target.id;
  if (!active && target.active && changes.length === 1) {
    return { op: { kind: 'deactivateUser', externalId, targetId }, changes };
  }
  const kind = active && !target.active ? 'reactivateUser' : 'updateUser';
  const op: Op =
    matchedBy === 'externalId'
      ? { kind, externalId, targetId, active, attributes, changes }
      : { kind, externalId, targetId, active, attributes, changes, adoptedBy: matchedBy };
  return { op, changes };
}

function deprovision(externalId: string, target: PlatformUser, settings: EngineSettings): Outcome {
  const targetId = target.id;
  if (settings.deprovision === 'delete') return { op: { kind: 'deleteUser', externalId, targetId } };
  if (!target.active) return { detail: 'already inactive on the platform' };
  return {
    op: { kind: 'deactivateUser', externalId, targetId },
    changes: [{ path: 'active', from: true, to: false }],
  };
}

function outcomeOf(subject: UserSubject, settings: EngineSettings, paths: readonly ScimPath[]): Outcome {
  const { externalId, desired, match } = subject;
  if (match.kind === 'problem') return { problem: match.reason };
  if (match.kind === 'unmatched') {
    if (!desired?.inScope) return { detail: 'no platform account' };
    if (!desired.state.active) return { detail: 'inactive in the source and no platform account' };
    if (desired.state.attributes[USER_NAME_PATH] === undefined) {
      return { problem: 'no userName: its mapped source attribute is empty' };
    }
    return { op: { kind: 'createUser', externalId, active: true, attributes: desired.state.attributes } };
  }
  if (desired?.inScope) return reconcile(desired, match.target, match.matchedBy, paths);
  if (desired !== undefined && settings.skipOutOfScopeDeletions) {
    return { detail: 'out of scope; left alone (skipOutOfScopeDeletions)' };
  }
  return deprovision(externalId, match.target, settings);
}

/**
 * The decision for one user, the same for full and focused runs: create, update, (re)activate,
 * deprovision or leave alone. Adoption writes the externalId so the link survives the next run.
 */
export function decideUser(
  subject: UserSubject,
  settings: EngineSettings,
  paths: readonly ScimPath[],
): UserDecision {
  const { externalId, desired, match } = subject;
  const outcome = outcomeOf(subject, settings, paths);
  const linked = match.kind === 'linked' ? match : undefined;
  const trace: UserTrace = {
    externalId,
    inScope: desired?.inScope ?? false,
    reason: desired?.reason ?? 'no longer in the source',
    matchedBy: linked?.matchedBy,
    targetId: linked?.target.id,
    action: outcome.op?.kind ?? 'none',
    changes: outcome.changes ?? NO_CHANGES,
    detail: outcome.detail,
    problem: outcome.problem,
  };
  const kind = outcome.op?.kind;
  const hasAccount = kind === 'createUser' || (linked !== undefined && kind !== 'deleteUser');
  return { op: outcome.op, trace, joinsGroups: trace.inScope && hasAccount };
}
