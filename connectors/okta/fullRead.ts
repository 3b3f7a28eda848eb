import type { FullRead } from '../../src/model/source.js';
import { CURSOR_OVERLAP_MS, encodeCursor, watchServerTime } from './cursor.js';
import { toDirectoryGroup } from './mapping.js';
import { directoryUsers, type OktaContext, scopedAppId } from './readContext.js';
import { readAllUsers, readAppAssignments, readGroups, readMembersOfGroups } from './reads.js';

/**
 * Every user (DEPROVISIONED included), every group with its members, and the app's assignments
 * in `app` scope; every page of each, or a thrown error. The cursor is the server's time before
 * the first answer, less an overlap, so what changes during the read is replayed next time.
 */
export async function readFullDirectory(context: OktaContext): Promise<FullRead> {
  const { client } = context;
  const serverTime = watchServerTime(context.executor, context.now);
  try {
    const appId = scopedAppId(context.config);
    const [users, groups, assignments] = await Promise.all([
      readAllUsers(client),
      readGroups(client),
      appId === undefined ? undefined : readAppAssignments(client, appId),
    ]);
    const members = await readMembersOfGroups(
      client,
      groups.flatMap((group) => (group.id ? [group.id] : [])),
    );
    const snapshot = {
      users: directoryUsers(context, users),
      groups: groups.map((group) => toDirectoryGroup(group, members.get(group.id ?? '') ?? [])),
      ...(assignments ? { assignments } : {}),
    };
    context.logger.info(
      { users: snapshot.users.length, groups: snapshot.groups.length },
      'okta full read complete',
    );
    return { snapshot, cursor: encodeCursor(serverTime.startedAt() - CURSOR_OVERLAP_MS) };
  } finally {
    serverTime.stop();
  }
}
