import type { DirectoryGroup, DirectorySnapshot } from '../model/directory.js';
import { compileFilters } from './filters.js';
import { GroupFlattener } from './flatten.js';
import { type IdRanking, rankIds } from './idRanking.js';
import { listOfRanks } from './rankedLists.js';
import type { EngineSettings } from './settings.js';

/** How the reason of a user that passed the scope rule but failed a filter begins. */
export const FILTERED_OUT = 'filtered out: ';

/** Whether a source user is provisioned, with the reason an operator reads in a trace. */
export interface ScopeDecision {
  readonly inScope: boolean;
  readonly reason: string;
}

export interface PushedGroup {
  readonly group: DirectoryGroup;
  /** In-scope users of the group, nested groups flattened, sorted. */
  readonly memberUserIds: readonly string[];
}

export interface ScopeResult {
  readonly users: ReadonlyMap<string, ScopeDecision>;
  readonly pushedGroups: readonly PushedGroup[];
  /** Listed or assigned group references that name no group of the snapshot. */
  readonly unresolvedGroups: readonly string[];
}

/** A ScopeResult with the decisions by position in `snapshot.users`, which spares a lookup per user. */
export interface PositionalScope extends Omit<ScopeResult, 'users'> {
  readonly decisions: readonly ScopeDecision[];
}

/** Which groups the scope pushes, and how a user comes to be (or not be) in scope before filters. */
interface ScopeRule {
  readonly pushed: readonly DirectoryGroup[];
  readonly unresolved: readonly string[];
  /** Whether being in a pushed group puts a user in scope (not so in `all`). */
  readonly needsMembership: boolean;
  /** Reason for a user before filters, given the first pushed group that holds them (if any). */
  readonly baseDecision: (userId: string, viaGroup: DirectoryGroup | undefined) => ScopeDecision;
}

function uniqueGroups(groups: Iterable<DirectoryGroup | undefined>): DirectoryGroup[] {
  const seen = new Map<string, DirectoryGroup>();
  for (const group of groups) if (group !== undefined) seen.set(group.id, group);
  return [...seen.values()];
}

function scopeRule(
  snapshot: DirectorySnapshot,
  settings: EngineSettings,
  groupsById: ReadonlyMap<string, DirectoryGroup>,
): ScopeRule {
  const scope = settings.scope;
  if (scope.mode === 'all') {
    const inScope = { inScope: true, reason: 'all users are in scope' };
    return { pushed: snapshot.groups, unresolved: [], needsMembership: false, baseDecision: () => inScope };
  }
  if (scope.mode === 'assigned') {
    // Without assignments every user would look unassigned and be deprovisioned: refuse instead.
    if (snapshot.assignments === undefined)
      throw new Error('scope "assigned" needs the snapshot\'s assignments');
    const directlyAssigned = new Set(snapshot.assignments.userIds);
    const groupIds = snapshot.assignments.groupIds;
    return {
      pushed: uniqueGroups(groupIds.map((id) => groupsById.get(id))),
      unresolved: groupIds.filter((id) => !groupsById.has(id)),
      needsMembership: true,
      baseDecision: (userId, viaGroup) => {
        if (directlyAssigned.has(userId)) return { inScope: true, reason: 'assigned directly' };
        if (viaGroup !== undefined) {
          return { inScope: true, reason: `member of assigned group ${viaGroup.displayName}` };
        }
        return { inScope: false, reason: 'not assigned to the app' };
      },
    };
  }
  const groupsByName = new Map<string, DirectoryGroup[]>();
  for (const group of snapshot.groups) {
    const named = groupsByName.get(group.displayName);
    if (named === undefined) groupsByName.set(group.displayName, [group]);
    else named.push(group);
  }
  const resolve = (reference: string): DirectoryGroup[] => {
    const byId = groupsById.get(reference);
    return byId === undefined ? (groupsByName.get(reference) ?? []) : [byId];
  };
  const notMember = `not a member of the scoped groups (${scope.groups.join(', ')})`;
  return {
    pushed: uniqueGroups(scope.groups.flatMap(resolve)),
    unresolved: scope.groups.filter((reference) => resolve(reference).length === 0),
    needsMembership: true,
    baseDecision: (_userId, viaGroup) =>
      viaGroup === undefined
        ? { inScope: false, reason: notMember }
        : { inScope: true, reason: `member of scoped group ${viaGroup.displayName}` },
  };
}

/** The in-scope users among sorted ranks, as ids; keeps them in `ranks`, which it owns from then on. */
function inScopeIds(ranks: Int32Array, inScope: Uint8Array, users: IdRanking): string[] {
  let count = 0;
  for (const rank of ranks) if (inScope[rank] === 1) ranks[count++] = rank;
  return listOfRanks(ranks.subarray(0, count), users.ids);
}

/** SCOPE (README, "How a run works"): which users are provisioned, and which groups are pushed with which members. */
export function computeScope(snapshot: DirectorySnapshot, settings: EngineSettings): ScopeResult {
  const { decisions, ...groups } = decideScope(snapshot, settings);
  const users = new Map<string, ScopeDecision>();
  snapshot.users.forEach((user, position) => {
    users.set(user.id, decisions[position]!);
  });
  return { users, ...groups };
}

export function decideScope(snapshot: DirectorySnapshot, settings: EngineSettings): PositionalScope {
  const groupsById = new Map(snapshot.groups.map((group) => [group.id, group]));
  const userRanking = rankIds(snapshot.users.map((user) => user.id));
  const rule = scopeRule(snapshot, settings, groupsById);

  const flattener = new GroupFlattener(groupsById, userRanking);
  const transitiveMembers = rule.pushed.map((group) => flattener.transitiveUserRanks(group));
  /** By user rank, the position in `rule.pushed` of the first pushed group that holds the user, or -1. */
  const firstGroupOf = new Int32Array(userRanking.ids.length).fill(-1);
  if (rule.needsMembership) {
    transitiveMembers.forEach((ranks, position) => {
      for (const rank of ranks) if (firstGroupOf[rank] === -1) firstGroupOf[rank] = position;
    });
  }

  const failingFilter = compileFilters(settings.filters);
  const decisions: ScopeDecision[] = [];
  const inScope = new Uint8Array(userRanking.ids.length);
  for (const user of snapshot.users) {
    const rank = userRanking.rankOf.get(user.id)!;
    const position = firstGroupOf[rank]!;
    const base = rule.baseDecision(user.id, position === -1 ? undefined : rule.pushed[position]);
    const failure = base.inScope ? failingFilter(user.attributes) : undefined;
    let decision = base;
    if (failure !== undefined) decision = { inScope: false, reason: `${FILTERED_OUT}${failure}` };
    else if (base.inScope && !user.active) {
      decision = { inScope: true, reason: `${base.reason} (disabled in the source)` };
    }
    decisions.push(decision);
    // A user id listed twice is decided as its last entry, as a map keyed by id would keep it.
    inScope[rank] = decision.inScope ? 1 : 0;
  }

  const pushedGroups = rule.pushed.map((group, position) => ({
    group,
    memberUserIds: inScopeIds(transitiveMembers[position]!, inScope, userRanking),
  }));
  return { decisions, pushedGroups, unresolvedGroups: rule.unresolved };
}
