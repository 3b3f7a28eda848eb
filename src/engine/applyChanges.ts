import type {
  Assignments,
  DirectoryChanges,
  DirectoryGroup,
  DirectorySnapshot,
  DirectoryUser,
} from '../model/directory.js';

function applyAssignments(
  current: Assignments | undefined,
  changes: DirectoryChanges,
): Assignments | undefined {
  const { assignmentsReplaced: replaced, assignmentsAdded: added, assignmentsRemoved: removed } = changes;
  if (replaced === undefined && added === undefined && removed === undefined) return current;
  const base = replaced ?? current ?? { userIds: [], groupIds: [] };
  const update = (ids: readonly string[], plus: readonly string[] = [], minus: readonly string[] = []) => {
    const result = new Set(ids);
    for (const id of minus) result.delete(id);
    for (const id of plus) result.add(id);
    return [...result];
  };
  return {
    userIds: update(base.userIds, added?.userIds, removed?.userIds),
    groupIds: update(base.groupIds, added?.groupIds, removed?.groupIds),
  };
}

/**
 * The snapshot after an incremental read. Pure and idempotent: each change names objects as
 * they are now, so applying it twice gives the same snapshot. A user or group named both as
 * upserted and as removed ends up as upserted. Member ids of removed objects may linger in other
 * groups; scope ignores ids that name nothing.
 */
export function applyChanges(snapshot: DirectorySnapshot, changes: DirectoryChanges): DirectorySnapshot {
  const users = new Map<string, DirectoryUser>(snapshot.users.map((user) => [user.id, user]));
  for (const { id } of changes.removedUsers) users.delete(id);
  for (const user of changes.upsertedUsers) users.set(user.id, user);

  const groups = new Map<string, DirectoryGroup>(snapshot.groups.map((group) => [group.id, group]));
  for (const id of changes.removedGroupIds) groups.delete(id);
  for (const group of changes.upsertedGroups) {
    groups.set(group.id, { ...group, memberIds: groups.get(group.id)?.memberIds ?? [] });
  }

  const editedMembers = new Map<string, Set<string>>();
  const membersOf = (groupId: string): Set<string> | undefined => {
    const group = groups.get(groupId);
    if (group === undefined) return undefined;
    let members = editedMembers.get(groupId);
    if (members === undefined) {
      members = new Set(group.memberIds);
      editedMembers.set(groupId, members);
    }
    return members;
  };
  for (const { groupId, memberId } of changes.membershipsRemoved) membersOf(groupId)?.delete(memberId);
  for (const { groupId, memberId } of changes.membershipsAdded) membersOf(groupId)?.add(memberId);
  for (const [groupId, members] of editedMembers) {
    const group = groups.get(groupId)!;
    groups.set(groupId, { ...group, memberIds: [...members] });
  }

  const assignments = applyAssignments(snapshot.assignments, changes);
  return {
    users: [...users.values()],
    groups: [...groups.values()],
    ...(assignments === undefined ? {} : { assignments }),
  };
}
