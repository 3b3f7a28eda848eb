import type { Membership } from '../model/directory.js';
import type { ObjectProblem, Op, Plan } from '../model/plan.js';
import type { PlatformGroup, PlatformState, PlatformUser, ScimGroupState } from '../model/scim.js';
import type { DesiredState } from './desired.js';
import { diffMemberRanks, type MemberDelta, type MemberRules } from './diff.js';
import type { Focus } from './focus.js';
import {
  decideGroup,
  type GroupDecision,
  type GroupRules,
  type GroupTrace,
  memberOps,
} from './groupDecision.js';
import { managedMembersOf } from './managedMembers.js';
import { mappedPaths } from './mapping.js';
import { indexPlatform, type Match, matchGroups, matchUsers, type PlatformIndex } from './match.js';
import type { EngineSettings } from './settings.js';
import { positionOf, sortedUnique } from './sortedIds.js';
import { decideUser, type UserDecision, type UserTrace } from './userDecision.js';

export interface OwnedExternalIds {
  readonly users: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
}

export interface PlanInput {
  readonly desired: DesiredState;
  /** Complete for a full run; for a focused run only the touched objects and match candidates. */
  readonly platform: PlatformState;
  /** externalIds this tenant created or adopted in earlier runs. */
  readonly owned: OwnedExternalIds;
  readonly settings: EngineSettings;
}

export interface FocusedPlanInput extends PlanInput {
  readonly focus: Focus;
  /** The managed user count of the last full run, for the guard's ratio; estimated when absent. */
  readonly managedUserCount?: number;
}

/** A focused plan carries the per-object decisions, for the traces of on-demand provisioning. */
export interface FocusedPlan extends Plan {
  readonly userTraces: readonly UserTrace[];
  readonly groupTraces: readonly GroupTrace[];
}

/** What both planners share once the users are decided. */
interface Run {
  readonly input: PlanInput;
  readonly index: PlatformIndex;
  readonly isManagedUser: (externalId: string) => boolean;
  readonly isManagedGroup: (externalId: string) => boolean;
  /** The users decided, sorted and distinct; their matches and decisions are at the same positions. */
  readonly userIds: readonly string[];
  readonly userMatches: readonly Match<PlatformUser>[];
  readonly userDecisions: readonly UserDecision[];
  readonly memberRules: MemberRules;
  /** Platform users linked to a subject (by externalId or adoption): the managed users in view. */
  readonly linkedUserCount: number;
}

const sorted = (ids: Iterable<string>): string[] => [...ids].sort();

/** The distinct ids worth deciding, sorted so that ops and job ids come out in a stable order. */
function subjects(ids: Iterable<string>, worthDeciding: (id: string) => boolean): string[] {
  const kept = new Set<string>();
  for (const id of ids) if (worthDeciding(id)) kept.add(id);
  return sorted(kept);
}

/** Source users, and users no longer in the source that a managed platform user still stands for. */
const userSubjects = (ids: Iterable<string>, input: PlanInput, index: PlatformIndex): string[] =>
  subjects(
    ids,
    (id) => input.desired.users.has(id) || (input.owned.users.has(id) && index.usersByExternalId.has(id)),
  );

/** Pushed groups, and managed platform groups that are no longer pushed. */
const groupSubjects = (ids: Iterable<string>, run: Run): string[] =>
  subjects(
    ids,
    (id) =>
      run.input.desired.groups.has(id) || (run.isManagedGroup(id) && run.index.groupsByExternalId.has(id)),
  );

function decideUsers(input: PlanInput, index: PlatformIndex, subjectIds: readonly string[]): Run {
  const { desired, owned, settings } = input;
  const isManagedUser = (externalId: string) => desired.users.has(externalId) || owned.users.has(externalId);
  const isManagedGroup = (externalId: string) =>
    desired.sourceGroupIds.has(externalId) || owned.groups.has(externalId);
  const userMatches = matchUsers({
    subjectIds,
    desired,
    index,
    matching: settings.matching,
    isManaged: isManagedUser,
  });
  const paths = mappedPaths(settings.userMapping);
  const userDecisions: UserDecision[] = [];
  const deleted = new Set<string>();
  let linkedUserCount = 0;
  subjectIds.forEach((externalId, position) => {
    const match = userMatches[position]!;
    const decision = decideUser(
      { externalId, desired: desired.users.get(externalId), match },
      settings,
      paths,
    );
    userDecisions.push(decision);
    if (decision.op?.kind === 'deleteUser') deleted.add(externalId);
    if (match.kind === 'linked') linkedUserCount++;
  });
  const canAdd = (externalId: string, rank?: number, rankedIds?: readonly string[]): boolean => {
    // Bisection in the sorted subjects, not a map by id: only members a group gains are asked
    // about, and a diff over ranks among the subjects says where the member sits.
    const position =
      rank !== undefined && rankedIds === subjectIds ? rank : positionOf(subjectIds, externalId);
    if (position !== -1) return userDecisions[position]!.joinsGroups;
    // A user this run does not decide was provisioned by an earlier one, unless it is inactive without an account.
    const wanted = desired.users.get(externalId);
    return wanted?.inScope === true && (wanted.state.active || index.usersByExternalId.has(externalId));
  };
  const memberRules = { canAdd, canRemove: (externalId: string) => !deleted.has(externalId) };
  return {
    input,
    index,
    isManagedUser,
    isManagedGroup,
    userIds: subjectIds,
    userMatches,
    userDecisions,
    memberRules,
    linkedUserCount,
  };
}

function decideGroups(run: Run, subjectIds: readonly string[], memberDelta: GroupRules['memberDelta']) {
  const { desired, settings } = run.input;
  const matches = matchGroups(subjectIds, desired, run.index);
  const rules: GroupRules = { settings, canAddMember: run.memberRules.canAdd, memberDelta };
  return subjectIds.map((externalId, position) =>
    decideGroup(
      {
        externalId,
        desired: desired.groups.get(externalId),
        inSource: desired.sourceGroupIds.has(externalId),
        match: matches[position]!,
      },
      rules,
    ),
  );
}

/** Users first; then group creates and updates, member changes, and deletes, each by externalId. */
function assemble(
  run: Run,
  groups: readonly GroupDecision[],
  extraMemberOps: ReadonlyMap<string, readonly Op[]>,
) {
  const userOps: Op[] = [];
  const problems: ObjectProblem[] = [];
  for (const { op, trace } of run.userDecisions) {
    if (op !== undefined) userOps.push(op);
    if (trace.problem !== undefined) {
      problems.push({ objectType: 'user', externalId: trace.externalId, reason: trace.problem });
    }
  }
  const upserts: Op[] = [];
  const deletes: Op[] = [];
  const membersByGroup = new Map<string, readonly Op[]>(extraMemberOps);
  for (const { op, memberOps: ops, trace } of groups) {
    if (op?.kind === 'deleteGroup') deletes.push(op);
    else if (op !== undefined) upserts.push(op);
    if (ops.length > 0) membersByGroup.set(trace.externalId, ops);
    if (trace.problem !== undefined) {
      problems.push({ objectType: 'group', externalId: trace.externalId, reason: trace.problem });
    }
  }
  const groupOps = upserts;
  for (const groupId of sorted(membersByGroup.keys())) {
    for (const op of membersByGroup.get(groupId) ?? []) groupOps.push(op);
  }
  for (const op of deletes) groupOps.push(op);
  return { userOps, groupOps, problems };
}

/** PLAN of a full run: every source user and group against the complete platform state. */
export function planFull(input: PlanInput): Plan {
  const { desired, platform } = input;
  const index = indexPlatform(platform);
  const userIds = [...desired.users.keys()];
  for (const externalId of index.usersByExternalId.keys()) {
    if (!desired.users.has(externalId) && input.owned.users.has(externalId)) userIds.push(externalId);
  }
  // Every managed user on the platform is a subject of a full run.
  const managedExternalIds = userIds.sort();
  const run = decideUsers(input, index, managedExternalIds);

  const actualMembers = managedMembersOf(index, managedExternalIds, run);
  const fullDiff = (wanted: ScimGroupState, target: PlatformGroup): MemberDelta =>
    diffMemberRanks(wanted.memberExternalIds, actualMembers(target), run.memberRules);
  const allGroupIds = new Set(desired.groups.keys());
  for (const externalId of index.groupsByExternalId.keys()) allGroupIds.add(externalId);
  const groups = decideGroups(run, groupSubjects(allGroupIds, run), fullDiff);
  return { ...assemble(run, groups, new Map()), managedUserCount: run.linkedUserCount };
}

interface PairChanges {
  readonly add: Set<string>;
  readonly remove: Set<string>;
}

/** Membership pairs per group, plus the groups of users this run creates or adopts. */
function coalescePairs(run: Run, focus: Focus): Map<string, PairChanges> {
  const byGroup = new Map<string, PairChanges>();
  const changesOf = (groupId: string): PairChanges => {
    let changes = byGroup.get(groupId);
    if (changes === undefined) {
      changes = { add: new Set(), remove: new Set() };
      byGroup.set(groupId, changes);
    }
    return changes;
  };
  const note = (pairs: readonly Membership[], side: 'add' | 'remove') => {
    for (const { groupId, memberId } of pairs) changesOf(groupId)[side].add(memberId);
  };
  note(focus.membershipsAdded, 'add');
  note(focus.membershipsRemoved, 'remove');
  const newOnPlatform = new Set<string>();
  run.userDecisions.forEach((decision, position) => {
    const match = run.userMatches[position]!;
    const adopted = match.kind === 'linked' && match.matchedBy !== 'externalId';
    if (decision.op?.kind === 'createUser' || adopted) newOnPlatform.add(run.userIds[position]!);
  });
  if (newOnPlatform.size > 0) {
    for (const [groupId, group] of run.input.desired.groups) {
      for (const memberId of group.memberExternalIds)
        if (newOnPlatform.has(memberId)) changesOf(groupId).add.add(memberId);
    }
  }
  return byGroup;
}

/**
 * PLAN of an incremental run or of on-demand provisioning: only the objects in focus, decided
 * exactly as a full run decides them, against a platform state narrowed to what they touch.
 * Nothing outside the focus is deprovisioned, and memberships change pair by pair.
 */
export function planFocused(input: FocusedPlanInput): FocusedPlan {
  const { desired, platform, focus } = input;
  const index = indexPlatform(platform);
  const userIds = userSubjects(focus.userIds, input, index);
  const run = decideUsers(input, index, userIds);

  // A focused group also loses the stale members its platform state can name. Adds come from the
  // pairs, so a renamed big group costs no call per member it has, except when the group is being
  // adopted: it is new to this tenant and gets every desired member, as a full run would give it.
  const managedExternalIds = [...userIds];
  for (const externalId of index.usersByExternalId.keys()) {
    if (run.isManagedUser(externalId)) managedExternalIds.push(externalId);
  }
  const rankedIds = sortedUnique(managedExternalIds);
  const actualMembers = managedMembersOf(index, rankedIds, run);
  // The members a platform group is read with, as externalIds: a pair whose member is there
  // already is no change (an on-demand run names every membership of its users, in sync or not).
  const listedMembers = (target: PlatformGroup | undefined): ReadonlySet<string> => {
    const listed = new Set<string>();
    if (target !== undefined) for (const rank of actualMembers(target).ranks) listed.add(rankedIds[rank]!);
    return listed;
  };

  const pairs = coalescePairs(run, focus);
  const memberSets = new Map<string, ReadonlySet<string>>();
  const isMember = (groupId: string, memberId: string): boolean => {
    let members = memberSets.get(groupId);
    if (members === undefined) {
      members = new Set(desired.groups.get(groupId)?.memberExternalIds);
      memberSets.set(groupId, members);
    }
    return members.has(memberId);
  };
  const pairDelta = (groupId: string, target: PlatformGroup | undefined): MemberDelta => {
    const changes = pairs.get(groupId);
    if (changes === undefined) return { add: [], remove: [] };
    const { canAdd, canRemove } = run.memberRules;
    let listed: ReadonlySet<string> | undefined;
    const isListed = (id: string): boolean => {
      listed ??= listedMembers(target);
      return listed.has(id);
    };
    const add = sorted([...changes.add].filter((id) => isMember(groupId, id) && canAdd(id) && !isListed(id)));
    const remove = sorted([...changes.remove].filter((id) => !isMember(groupId, id) && canRemove(id)));
    return { add, remove };
  };
  const focusedDelta = (wanted: ScimGroupState, target: PlatformGroup): MemberDelta => {
    const fromPairs = pairDelta(wanted.externalId, target);
    const diff = diffMemberRanks(wanted.memberExternalIds, actualMembers(target), run.memberRules);
    const adopted = target.externalId !== wanted.externalId;
    const union = (left: readonly string[], right: readonly string[]) =>
      right.length === 0 ? left : sorted(new Set([...left, ...right]));
    return {
      add: adopted ? union(fromPairs.add, diff.add) : fromPairs.add,
      remove: union(fromPairs.remove, diff.remove),
    };
  };
  const subjects = groupSubjects(focus.groupIds, run);
  const groups = decideGroups(run, subjects, focusedDelta);

  // Pairs of pushed groups outside the focus: the group exists already (an earlier run pushed it).
  const decided = new Set(subjects);
  const extraMemberOps = new Map<string, Op[]>();
  for (const groupId of pairs.keys()) {
    const wanted = desired.groups.get(groupId);
    if (decided.has(groupId) || wanted === undefined) continue;
    const linked = index.groupsByExternalId.get(groupId);
    const target = linked?.length === 1 ? linked[0] : undefined;
    const ops = memberOps(wanted, target?.id, pairDelta(groupId, target), input.settings.membersPerPatch);
    if (ops.length > 0) extraMemberOps.set(groupId, ops);
  }

  let ownedSourceUsers = 0;
  for (const externalId of desired.users.keys()) if (input.owned.users.has(externalId)) ownedSourceUsers++;
  return {
    ...assemble(run, groups, extraMemberOps),
    managedUserCount: input.managedUserCount ?? Math.max(ownedSourceUsers, run.linkedUserCount),
    userTraces: run.userDecisions.map((decision) => decision.trace),
    groupTraces: groups.map((decision) => decision.trace),
  };
}
