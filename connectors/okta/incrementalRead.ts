import type { Group } from '@okta/okta-sdk-nodejs';
import type { DirectoryChanges } from '../../src/model/directory.js';
import type { IncrementalRead } from '../../src/model/source.js';
import { mapWithConcurrency } from '../../src/util/mapWithConcurrency.js';
import {
  APP_EVENT_TYPES,
  DIRECTORY_EVENT_TYPES,
  digestLogEvents,
  type LogEventRecord,
} from './changeFeed.js';
import { CURSOR_OVERLAP_MS, decodeCursor, encodeCursor, watchServerTime } from './cursor.js';
import { isNotFound } from './errors.js';
import { equals, quoted } from './expressions.js';
import { toDirectoryGroupAttributes } from './mapping.js';
import { readAll } from './paging.js';
import { directoryUsers, type OktaContext, scopedAppId } from './readContext.js';
import { isDirectlyAssigned, PAGE_SIZE, READ_CONCURRENCY, readUsers } from './reads.js';

/**
 * Changes since the cursor, in O(changes) calls: users by `lastUpdated` (search, which also
 * returns DEPROVISIONED users), everything else from the System Log. Objects the log only names
 * (renamed groups, app assignments) are read back as they are now.
 */
export async function readDirectoryChanges(context: OktaContext, cursor: string): Promise<IncrementalRead> {
  const since = decodeCursor(cursor, context.now()).toISOString();
  const { client } = context;
  const appId = scopedAppId(context.config);
  const serverTime = watchServerTime(context.executor, context.now);
  try {
    const eventTypes = [...DIRECTORY_EVENT_TYPES, ...(appId === undefined ? [] : APP_EVENT_TYPES)];
    const [users, events] = await Promise.all([
      readUsers(client, { search: `lastUpdated gt ${quoted(since)}` }),
      client.systemLogApi
        .listLogEvents({
          since,
          filter: eventTypes.map((type) => equals('eventType', type)).join(' or '),
          limit: PAGE_SIZE.logs,
        })
        .then((collection) => readAll<LogEventRecord>(collection, { untilEmptyPage: true })),
    ]);
    const digest = digestLogEvents(events, appId);
    const [readGroups, directUsers] = await Promise.all([
      mapWithConcurrency(digest.groupIdsToRead, READ_CONCURRENCY, (groupId) =>
        readGroupIfPresent(context, groupId),
      ),
      appId === undefined
        ? []
        : mapWithConcurrency(digest.appUserIdsToRead, READ_CONCURRENCY, (userId) =>
            isDirectlyAssigned(client, appId, userId),
          ),
    ]);
    const vanishedGroupIds = digest.groupIdsToRead.filter((_id, index) => readGroups[index] === undefined);
    const appUsers = (direct: boolean) =>
      digest.appUserIdsToRead.filter((_id, index) => directUsers[index] === direct);
    const changes: DirectoryChanges = {
      upsertedUsers: directoryUsers(context, users),
      removedUsers: digest.deletedUserIds.map((id) => ({ id, kind: 'deleted' as const })),
      upsertedGroups: readGroups.flatMap((group) => (group ? [toDirectoryGroupAttributes(group)] : [])),
      removedGroupIds: [...digest.removedGroupIds, ...vanishedGroupIds],
      membershipsAdded: digest.membershipsAdded,
      membershipsRemoved: digest.membershipsRemoved,
      ...(appId === undefined
        ? {}
        : {
            assignmentsAdded: { userIds: appUsers(true), groupIds: digest.assignedGroupIds },
            assignmentsRemoved: { userIds: appUsers(false), groupIds: digest.unassignedGroupIds },
          }),
      ...(digest.imprecise ? { needsFullRun: digest.imprecise } : {}),
    };
    context.logger.info(
      { users: users.length, events: events.length, needsFullRun: changes.needsFullRun },
      'okta incremental read complete',
    );
    return { changes, cursor: encodeCursor(serverTime.startedAt() - CURSOR_OVERLAP_MS) };
  } finally {
    serverTime.stop();
  }
}

/** A group named by the log may have been deleted since: then it is reported removed. */
async function readGroupIfPresent(context: OktaContext, groupId: string): Promise<Group | undefined> {
  try {
    return await context.client.groupApi.getGroup({ groupId });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
