import type { DirectoryGroup, DirectorySnapshot } from '../model/directory.js';
import { compileFilters } from './filters.js';
import { transitiveUserMembers } from './flatten.js';
import type { EngineSettings } from './settings.js';

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
    return {
      pushed: snapshot.groups,
      unresolved: [],
      needsMembership: false,
      baseDecision: () => ({ inScope: true, reason: 'all users are in scope' }),
    };
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

/** SCOPE (SPEC §6.2): which users are provisioned, and which groups are pushed with which members. */
export function computeScope(snapshot: DirectorySnapshot, settings: EngineSettings): ScopeResult {
  const groupsById = new Map(snapshot.groups.map((group) => [group.id, group]));
  const userIds = new Set(snapshot.users.map((user) => user.id));
  const isUser = (id: string) => userIds.has(id);
  const rule = scopeRule(snapshot, settings, groupsById);

  const transitiveMembers = rule.pushed.map((group) => transitiveUserMembers(group, groupsById, isUser));
  const firstGroupOf = new Map<string, DirectoryGroup>();
  if (rule.needsMembership) {
    rule.pushed.forEach((group, index) => {
      for (const userId of transitiveMembers[index] ?? []) {
        if (!firstGroupOf.has(userId)) firstGroupOf.set(userId, group);
      }
    });
  }

  const failingFilter = compileFilters(settings.filters);
  const users = new Map<string, ScopeDecision>();
  for (const user of snapshot.users) {
    const base = rule.baseDecision(user.id, firstGroupOf.get(user.id));
    const failure = base.inScope ? failingFilter(user.attributes) : undefined;
    if (failure !== undefined) users.set(user.id, { inScope: false, reason: `filtered out: ${failure}` });
    else if (base.inScope && !user.active) {
      users.set(user.id, { inScope: true, reason: `${base.reason} (disabled in the source)` });
    } else users.set(user.id, base);
  }

  const pushedGroups = rule.pushed.map((group, index) => ({
    group,
    memberUserIds: (transitiveMembers[index] ?? []).filter((userId) => users.get(userId)?.inScope === true),
  }));
  return { users, pushedGroups, unresolvedGroups: rule.unresolved };
}
