import type {
  DirectoryChanges,
  DirectoryGroup,
  DirectoryUser,
  Membership,
  RemovalKind,
} from '../../src/model/directory.js';
import type { GraphObject } from './graphHttp.js';
import { toDirectoryGroup, toDirectoryUser } from './mapping.js';

const MEMBER_TYPES = new Set(['#microsoft.graph.user', '#microsoft.graph.group']);

/**
 * The objects of one users delta round and one groups delta round as `DirectoryChanges`. Delta
 * feeds may repeat an object; the later item wins. `@removed` with reason `deleted` is a permanent
 * deletion, any other reason (`changed`) a soft delete. A group item carries its own properties
 * only when they changed, and its membership changes in `members@delta`.
 */
export function changesFromDelta(
  userItems: readonly GraphObject[],
  groupItems: readonly GraphObject[],
): DirectoryChanges {
  const users = new Map<string, DirectoryUser | RemovalKind>();
  for (const item of userItems) {
    const id = String(item.id);
    const removed = removalReason(item);
    users.set(
      id,
      removed === undefined ? toDirectoryUser(item) : removed === 'deleted' ? 'deleted' : 'softDeleted',
    );
  }

  const upsertedGroups = new Map<string, Omit<DirectoryGroup, 'memberIds'>>();
  const removedGroups = new Set<string>();
  const memberships = new Map<string, Membership & { readonly present: boolean }>();
  for (const item of groupItems) {
    const groupId = String(item.id);
    if (removalReason(item) !== undefined) {
      removedGroups.add(groupId);
      upsertedGroups.delete(groupId);
      continue;
    }
    removedGroups.delete(groupId);
    if (typeof item.displayName === 'string') upsertedGroups.set(groupId, groupWithoutMembers(item));
    const entries = item['members@delta'];
    for (const entry of Array.isArray(entries) ? (entries as GraphObject[]) : []) {
      const type = entry['@odata.type'];
      if (typeof type === 'string' && !MEMBER_TYPES.has(type)) continue;
      const memberId = String(entry.id);
      memberships.set(`${groupId}\n${memberId}`, {
        groupId,
        memberId,
        present: removalReason(entry) === undefined,
      });
    }
  }

  const live = [...memberships.values()].filter((membership) => !removedGroups.has(membership.groupId));
  const upsertedUsers: DirectoryUser[] = [];
  const removedUsers: { id: string; kind: RemovalKind }[] = [];
  for (const [id, state] of users) {
    if (typeof state === 'string') removedUsers.push({ id, kind: state });
    else upsertedUsers.push(state);
  }
  return {
    upsertedUsers,
    removedUsers,
    upsertedGroups: [...upsertedGroups.values()],
    removedGroupIds: [...removedGroups],
    membershipsAdded: live.filter((m) => m.present).map(({ groupId, memberId }) => ({ groupId, memberId })),
    membershipsRemoved: live
      .filter((m) => !m.present)
      .map(({ groupId, memberId }) => ({ groupId, memberId })),
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
