import type {
  DirectoryChanges,
  DirectoryGroup,
  DirectorySnapshot,
  DirectoryUser,
  Membership,
  RemovalKind,
} from '../../src/model/directory.js';
import type { GraphObject } from './client.js';
import { mergeUserItem, toDirectoryGroup } from './mapping.js';

const MEMBER_TYPES = new Set(['#microsoft.graph.user', '#microsoft.graph.group']);
const GROUP_TYPE = '#microsoft.graph.group';

/** One delta round of each feed merged onto the records committed with the cursor. */
export interface DeltaMerge {
  /** Changes to objects the records hold, each user whole; removals of any object. */
  readonly changes: DirectoryChanges;
  /** Users an item names that the records do not hold: an item is no whole user, so they are read by id. */
  readonly unknownUserIds: readonly string[];
  /** Groups an item names that the records do not hold (their `members@delta` lists only changes). */
  readonly unknownGroupIds: readonly string[];
  /** Groups not in the records that a membership change puts into a group the records hold. */
  readonly nestedUnknownGroupIds: readonly string[];
}

/**
 * Applies the items of one users delta round and one groups delta round onto `records`. An item
 * carries an object's id and some of its properties: an absent one is unchanged, a `null` one
 * cleared. Feeds may repeat an object; its items apply in order. `@removed` with reason `deleted`
 * is a permanent deletion, any other reason (`changed`) a soft delete. A group item carries its
 * own properties only when they changed, and its membership changes in `members@delta`.
 */
export function mergeDelta(
  records: DirectorySnapshot,
  userItems: readonly GraphObject[],
  groupItems: readonly GraphObject[],
): DeltaMerge {
  const recordedUsers = new Map(records.users.map((user) => [user.id, user]));
  const users = new Map<string, DirectoryUser | RemovalKind | 'unknown'>();
  for (const item of userItems) {
    const id = String(item.id);
    const removed = removalReason(item);
    if (removed !== undefined) {
      users.set(id, removed === 'deleted' ? 'deleted' : 'softDeleted');
      continue;
    }
    const before = users.has(id) ? users.get(id) : recordedUsers.get(id);
    // A user removed earlier in the round and back now was restored: its record is gone.
    users.set(id, typeof before === 'object' ? mergeUserItem(before, item) : 'unknown');
  }

  const recordedGroups = new Set(records.groups.map((group) => group.id));
  const upsertedGroups = new Map<string, Omit<DirectoryGroup, 'memberIds'>>();
  const removedGroups = new Set<string>();
  const unknownGroups = new Set<string>();
  const memberships = new Map<string, Membership & { readonly present: boolean }>();
  const nestedGroups = new Set<string>();
  for (const item of groupItems) {
    const groupId = String(item.id);
    if (removalReason(item) !== undefined) {
      removedGroups.add(groupId);
      upsertedGroups.delete(groupId);
      unknownGroups.delete(groupId);
      continue;
    }
    if (!recordedGroups.has(groupId) || removedGroups.has(groupId)) {
      unknownGroups.add(groupId);
      continue;
    }
    if (typeof item.displayName === 'string') upsertedGroups.set(groupId, groupWithoutMembers(item));
    const entries = item['members@delta'];
    for (const entry of Array.isArray(entries) ? (entries as GraphObject[]) : []) {
      const type = entry['@odata.type'];
      if (typeof type === 'string' && !MEMBER_TYPES.has(type)) continue;
      const memberId = String(entry.id);
      const present = removalReason(entry) === undefined;
      memberships.set(`${groupId}\n${memberId}`, { groupId, memberId, present });
      if (present && type === GROUP_TYPE && !recordedGroups.has(memberId)) nestedGroups.add(memberId);
    }
  }

  const live = [...memberships.values()].filter((membership) => !removedGroups.has(membership.groupId));
  const upsertedUsers: DirectoryUser[] = [];
  const removedUsers: { id: string; kind: RemovalKind }[] = [];
  const unknownUserIds: string[] = [];
  for (const [id, state] of users) {
    if (state === 'unknown') unknownUserIds.push(id);
    else if (typeof state === 'string') removedUsers.push({ id, kind: state });
    else upsertedUsers.push(state);
  }
  return {
    changes: {
      upsertedUsers,
      removedUsers,
      upsertedGroups: [...upsertedGroups.values()],
      removedGroupIds: [...removedGroups],
      membershipsAdded: live.filter((m) => m.present).map(({ groupId, memberId }) => ({ groupId, memberId })),
      membershipsRemoved: live
        .filter((m) => !m.present)
        .map(({ groupId, memberId }) => ({ groupId, memberId })),
    },
    unknownUserIds,
    unknownGroupIds: [...unknownGroups],
    nestedUnknownGroupIds: [...nestedGroups].filter((id) => !removedGroups.has(id)),
  };
}

function groupWithoutMembers(item: GraphObject): Omit<DirectoryGroup, 'memberIds'> {
  const { memberIds: _memberIds, ...group } = toDirectoryGroup(item, []);
  return group;
}

function removalReason(item: GraphObject): string | undefined {
  const removed = item['@removed'];
  if (removed === undefined || removed === null) return undefined;
  const reason = (removed as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : 'changed';
}
