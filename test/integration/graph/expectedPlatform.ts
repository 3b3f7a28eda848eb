import type { GraphDirectory } from '../../emulators/graph/directory.js';
import type { GroupView, UserView } from '../../support/scimState.js';

/**
 * A small reference model of what the platform must hold for a Graph tenant in `assigned` scope,
 * written from the README ("Default mapping", "How a run works") without the engine: it is what the tests hold the pipeline to.
 */
export type GraphUser = { readonly id: string; readonly userPrincipalName: string } & Readonly<
  Record<string, unknown>
>;

export interface SourceDirectory {
  readonly users: readonly GraphUser[];
  readonly groups: readonly {
    readonly id: string;
    readonly displayName: string;
    readonly memberIds: readonly string[];
  }[];
  readonly assignedPrincipalIds: readonly string[];
}

export interface PlatformState {
  readonly users: UserView[];
  readonly groups: GroupView[];
}

export const EMPTY_PLATFORM: PlatformState = { users: [], groups: [] };

/**
 * The platform after a converged run over `source`, given the platform before it: in-scope users
 * mapped per the README's "Default mapping" (inactive ones only if they already had an account), users that left scope or
 * the directory kept but inactive, and the assigned groups with their transitive in-scope members.
 */
export function expectedPlatform(
  source: SourceDirectory,
  before: PlatformState = EMPTY_PLATFORM,
): PlatformState {
  const usersById = new Map(source.users.map((user) => [user.id, user]));
  const groupsById = new Map(source.groups.map((group) => [group.id, group]));
  const assigned = new Set(source.assignedPrincipalIds);

  const transitiveUserIds = (groupId: string): Set<string> => {
    const users = new Set<string>();
    const visited = new Set([groupId]);
    const queue = [groupId];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const memberId of groupsById.get(next)?.memberIds ?? []) {
        if (usersById.has(memberId)) users.add(memberId);
        else if (groupsById.has(memberId) && !visited.has(memberId)) {
          visited.add(memberId);
          queue.push(memberId);
        }
      }
    }
    return users;
  };

  const pushedGroups = source.groups
    .filter((group) => assigned.has(group.id))
    .map((group) => ({ group, userIds: transitiveUserIds(group.id) }));
  const inScope = new Set(source.users.filter((user) => assigned.has(user.id)).map((user) => user.id));
  for (const { userIds } of pushedGroups) for (const id of userIds) inScope.add(id);

  const hadAccount = new Set(before.users.map((user) => user.externalId));
  const accounts = new Map<string, UserView>();
  for (const id of inScope) {
    const user = usersById.get(id)!;
    if (user.accountEnabled !== false || hadAccount.has(id)) accounts.set(id, userView(user));
  }
  for (const user of before.users) {
    if (user.externalId !== undefined && !accounts.has(user.externalId)) {
      accounts.set(user.externalId, { ...user, active: false });
    }
  }

  const groups = pushedGroups.map(
    ({ group, userIds }): GroupView => ({
      displayName: group.displayName,
      externalId: group.id,
      members: [...userIds].flatMap((id) => accounts.get(id)?.userName ?? []).sort(),
    }),
  );
  return {
    users: [...accounts.values()].sort((left, right) => left.userName.localeCompare(right.userName)),
    groups: groups.sort((left, right) => left.displayName.localeCompare(right.displayName)),
  };
}

/** The default Graph mapping (README, "Default mapping"); empty and absent values are left out. */
function userView(user: GraphUser): UserView {
  const view: Record<string, unknown> = {
    userName: user.userPrincipalName,
    externalId: user.id,
    active: user.accountEnabled !== false,
    givenName: user.givenName,
    familyName: user.surname,
    displayName: user.displayName,
    email: user.mail,
    title: user.jobTitle,
    department: user.department,
    employeeNumber: user.employeeId,
  };
  return Object.fromEntries(
    Object.entries(view).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as unknown as UserView;
}

/** The emulated tenant as it is now, as plain data: live users, groups with direct members, assignments. */
export function sourceDirectoryOf(directory: GraphDirectory): SourceDirectory {
  return {
    users: directory.sortedUsers().map((id) => {
      const { properties } = directory.user(id)!;
      return { ...properties, id, userPrincipalName: String(properties.userPrincipalName) };
    }),
    groups: directory.sortedGroups().map((id) => {
      const group = directory.group(id)!;
      return { id, displayName: String(group.properties.displayName), memberIds: [...group.members] };
    }),
    assignedPrincipalIds: directory.assignments().map((assignment) => assignment.principalId),
  };
}

/** How many users and groups differ between two platform states: the objects a run had to touch. */
export function changedObjects(before: PlatformState, after: PlatformState): number {
  const differing = <T extends { externalId?: string }>(left: readonly T[], right: readonly T[]) => {
    const leftById = new Map(left.map((item) => [item.externalId, JSON.stringify(item)]));
    const rightById = new Map(right.map((item) => [item.externalId, JSON.stringify(item)]));
    const ids = new Set([...leftById.keys(), ...rightById.keys()]);
    return [...ids].filter((id) => leftById.get(id) !== rightById.get(id)).length;
  };
  return differing(before.users, after.users) + differing(before.groups, after.groups);
}
