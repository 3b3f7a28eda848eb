import { CursorExpiredError, type IncrementalRead } from '../../src/model/source.js';
import { readAssignments } from './assignments.js';
import { changesFromDelta } from './deltaChanges.js';
import { decodeDeltaCursor, encodeDeltaCursor } from './deltaCursor.js';
import { GraphRequestError } from './graphRequestError.js';
import type { GraphReadContext } from './readContext.js';

export const userDeltaPath = '/users/delta';
export const groupDeltaPath = '/groups/delta';

/**
 * An incremental read: one delta round per feed from the stored links, and for `assigned` scope the
 * assignment list (Graph has no change feed for it). An expired delta token is `CursorExpiredError`.
 */
export async function readDeltaChanges(
  context: GraphReadContext,
  cursorText: string,
): Promise<IncrementalRead> {
  const cursor = decodeDeltaCursor(cursorText);
  const { http, config } = context;
  try {
    const [users, groups, assignments] = await Promise.all([
      http.deltaRound(cursor.users),
      http.deltaRound(cursor.groups),
      config.scope.mode === 'assigned' ? readAssignments(http, config.scope.servicePrincipalId) : undefined,
    ]);
    const changes = changesFromDelta(users.items, groups.items);
    return {
      changes: assignments ? { ...changes, assignmentsReplaced: assignments.assignments } : changes,
      cursor: encodeDeltaCursor({ users: users.deltaLink, groups: groups.deltaLink }),
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
