import type { AttributeChange, Op, OpKind } from '../model/plan.js';
import type { PlatformGroup, ScimGroupState } from '../model/scim.js';
import type { MemberDelta } from './diff.js';
import type { LinkMethod, Match } from './match.js';
import type { EngineSettings } from './settings.js';

export interface GroupTrace {
  readonly externalId: string;
  /** Whether the scope pushes the group to the platform. */
  readonly pushed: boolean;
  readonly matchedBy?: LinkMethod;
  readonly targetId?: string;
  readonly action: OpKind | 'none';
  readonly changes: readonly AttributeChange[];
  readonly membersAdded: number;
  readonly membersRemoved: number;
  readonly detail?: string;
  readonly problem?: string;
}

export interface GroupDecision {
  /** createGroup, updateGroup or deleteGroup. */
  readonly op?: Op;
  readonly memberOps: readonly Op[];
  readonly trace: GroupTrace;
}

interface GroupSubject {
  readonly externalId: string;
  /** Absent when the group is not pushed (any more). */
  readonly desired: ScimGroupState | undefined;
  readonly inSource: boolean;
  readonly match: Match<PlatformGroup>;
}

export interface GroupRules {
  readonly settings: EngineSettings;
  readonly canAddMember: (externalId: string) => boolean;
  /** Members to change on a linked platform group: a full diff, or the focused membership pairs. */
  readonly memberDelta: (desired: ScimGroupState, target: PlatformGroup) => MemberDelta;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * addMembers / removeMembers ops of at most `membersPerPatch` members each, named after the group
 * so that the log and the console show which group changed, not a bare id.
 */
export function memberOps(
  { externalId, displayName }: Pick<ScimGroupState, 'externalId' | 'displayName'>,
  targetId: string | undefined,
  delta: MemberDelta,
  size: number,
): Op[] {
  const ops: Op[] = [];
  const target = targetId === undefined ? {} : { targetId };
  for (const memberExternalIds of chunk(delta.add, size)) {
    ops.push({ kind: 'addMembers', externalId, displayName, ...target, memberExternalIds });
  }
  for (const memberExternalIds of chunk(delta.remove, size)) {
    ops.push({ kind: 'removeMembers', externalId, displayName, ...target, memberExternalIds });
  }
  return ops;
}

/** The decision for one group, the same for full and focused runs. */
export function decideGroup(subject: GroupSubject, rules: GroupRules): GroupDecision {
  const { externalId, desired, match } = subject;
  const size = rules.settings.membersPerPatch;
  const base = { externalId, pushed: desired !== undefined, changes: [], membersAdded: 0, membersRemoved: 0 };
  if (match.kind === 'problem')
    return { memberOps: [], trace: { ...base, action: 'none', problem: match.reason } };
  if (match.kind === 'unmatched') {
    if (desired === undefined) return { memberOps: [], trace: { ...base, action: 'none' } };
    const members = desired.memberExternalIds.filter((externalId) => rules.canAddMember(externalId));
    const [first = [], ...rest] = chunk(members, size);
    const op: Op = {
      kind: 'createGroup',
      externalId,
      displayName: desired.displayName,
      memberExternalIds: first,
    };
    const followUps = rest.map(
      (memberExternalIds): Op => ({
        kind: 'addMembers',
        externalId,
        displayName: desired.displayName,
        memberExternalIds,
      }),
    );
    return {
      op,
      memberOps: followUps,
      trace: { ...base, action: 'createGroup', membersAdded: members.length },
    };
  }
  const target = match.target;
  const linked = { ...base, matchedBy: match.matchedBy, targetId: target.id };
  if (desired === undefined) {
    if (subject.inSource && rules.settings.skipOutOfScopeDeletions) {
      return {
        memberOps: [],
        trace: { ...linked, action: 'none', detail: 'out of scope; left alone (skipOutOfScopeDeletions)' },
      };
    }
    return {
      op: { kind: 'deleteGroup', externalId, targetId: target.id },
      memberOps: [],
      trace: { ...linked, action: 'deleteGroup' },
    };
  }
  const adopted = match.matchedBy !== 'externalId';
  const changes: AttributeChange[] = adopted ? [{ path: 'externalId', to: externalId }] : [];
  if (desired.displayName !== target.displayName) {
    changes.push({ path: 'displayName', from: target.displayName, to: desired.displayName });
  }
  const update = {
    kind: 'updateGroup',
    externalId,
    targetId: target.id,
    displayName: desired.displayName,
    changes,
  } as const;
  const op: Op | undefined =
    changes.length === 0 ? undefined : adopted ? { ...update, adoptedBy: match.matchedBy } : update;
  const delta = rules.memberDelta(desired, target);
  const ops = memberOps(desired, target.id, delta, size);
  const action: OpKind | 'none' = op?.kind ?? ops[0]?.kind ?? 'none';
  const trace = {
    ...linked,
    action,
    changes,
    membersAdded: delta.add.length,
    membersRemoved: delta.remove.length,
  };
  return { op, memberOps: ops, trace };
}
