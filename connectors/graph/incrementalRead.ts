import type { DirectoryChanges, DirectorySnapshot } from '../../src/model/directory.js';
import { CursorExpiredError, type IncrementalRead } from '../../src/model/source.js';
import { readAssignments } from './assignments.js';
import { type DeltaMerge, mergeDelta } from './changeFeed.js';
import { decodeDeltaCursor, encodeDeltaCursor } from './cursor.js';
import { GraphRequestError } from './errors.js';
import { readObjectsById } from './readById.js';
import type { GraphReadContext } from './readContext.js';

export const userDeltaPath = '/users/delta';
export const groupDeltaPath = '/groups/delta';

/**
 * An incremental read: one delta round per feed from the stored links, and for `assigned` scope the
 * assignment list (Graph has no change feed for it). Items are merged onto `records`, the source
 * records committed with the cursor; objects they do not hold are read by id (see `groupsToRead`).
 * An expired delta token is `CursorExpiredError`.
 */
export async function readDirectoryChanges(
  context: GraphReadContext,
  cursorText: string,
  records: DirectorySnapshot,
): Promise<IncrementalRead> {
  const cursor = decodeDeltaCursor(cursorText, context.userSelect);
  const { http, config } = context;
  try {
    const [users, groups, assignments] = await Promise.all([
      http.deltaRound(cursor.users),
      http.deltaRound(cursor.groups),
      config.scope.mode === 'assigned' ? readAssignments(http, config.scope.servicePrincipalId) : undefined,
    ]);
    const merge = mergeDelta(records, users.items, groups.items);
    const assignedGroupIds = assignments?.assignments.groupIds ?? [];
    const read = await readObjectsById(context, {
      users: merge.unknownUserIds,
      groups: groupsToRead(merge, records, config.scope.mode === 'all', assignedGroupIds),
    });
    const changes: DirectoryChanges = {
      ...merge.changes,
      upsertedUsers: [...merge.changes.upsertedUsers, ...read.users],
      upsertedGroups: [
        ...merge.changes.upsertedGroups,
        ...read.groups.map(({ memberIds: _memberIds, ...group }) => group),
      ],
      membershipsAdded: [
        ...merge.changes.membershipsAdded,
        ...read.groups.flatMap((group) =>
          group.memberIds.map((memberId) => ({ groupId: group.id, memberId })),
        ),
      ],
    };
    return {
      changes: assignments ? { ...changes, assignmentsReplaced: assignments.assignments } : changes,
      cursor: encodeDeltaCursor({
        users: users.deltaLink,
        groups: groups.deltaLink,
        userSelect: cursor.userSelect,
      }),
    };
  } catch (error) {
    if (error instanceof GraphRequestError && error.isCursorExpired) {
      throw new CursorExpiredError(
        `Graph no longer accepts the delta token (${error.message}); a full read is needed`,
      );
    }
    throw error;
  }
}

/**
 * The groups without a record to read whole. The records hold every group when the scope is `all`,
 * so there each one is read; otherwise they hold the groups in scope, and only a group that comes
 * into scope (assigned, or nested into a group in scope) is read. The others are outside the
 * records, and stay so: should one come into scope later, it is read then.
 */
export function groupsToRead(
  merge: DeltaMerge,
  records: DirectorySnapshot,
  everyGroup: boolean,
  assignedGroupIds: readonly string[],
): string[] {
  if (everyGroup) return [...new Set([...merge.unknownGroupIds, ...merge.nestedUnknownGroupIds])];
  const recorded = new Set(records.groups.map((group) => group.id));
  const assigned = assignedGroupIds.filter((id) => !recorded.has(id));
  return [...new Set([...merge.nestedUnknownGroupIds, ...assigned])];
}
