import type { Assignments, DirectoryGroup } from '../../src/model/directory.js';
import { type FullRead, SourceError } from '../../src/model/source.js';
import { mapWithConcurrency } from '../../src/util/mapWithConcurrency.js';
import { readAssignments } from './assignments.js';
import { type GraphHttp, type GraphObject, graphPath } from './client.js';
import { encodeDeltaCursor } from './cursor.js';
import { expandGroups } from './groupExpansion.js';
import { resolveGroup } from './groupReferences.js';
import { groupDeltaPath, userDeltaPath } from './incrementalRead.js';
import { GRAPH_GROUP_PROPERTIES, toDirectoryUser } from './mapping.js';
import { type GraphReadContext, MEMBER_READ_CONCURRENCY, PAGE_SIZE } from './readContext.js';

/**
 * A complete read. The cursor is taken first (`$deltatoken=latest`: two calls, no full delta round),
 * so whatever changes while the pages are read is replayed by the next incremental read.
 *
 * Users: every user, in pages of 999 (cheap even for large tenants; the engine scopes).
 * Groups: `all` reads every group and the direct members of each; `assigned` and `groups` read
 * only the assigned or listed groups and the groups nested in them.
 */
export async function readFullDirectory(context: GraphReadContext): Promise<FullRead> {
  const { http, userSelect } = context;
  const [users, groups] = await Promise.all([
    http.deltaRound(graphPath(userDeltaPath, { $deltatoken: 'latest', $select: userSelect.join(',') })),
    http.deltaRound(graphPath(groupDeltaPath, { $deltatoken: 'latest', $select: 'displayName,members' })),
  ]);
  const cursor = encodeDeltaCursor({ users: users.deltaLink, groups: groups.deltaLink, userSelect });

  const [userObjects, scoped] = await Promise.all([
    http.listAll(graphPath('/users', { $select: userSelect.join(','), $top: PAGE_SIZE })),
    readScopedGroups(context),
  ]);
  context.logger.debug(
    { users: userObjects.length, groups: scoped.groups.length },
    'graph full read complete',
  );
  return {
    snapshot: {
      users: userObjects.map(toDirectoryUser),
      groups: scoped.groups,
      ...(scoped.assignments ? { assignments: scoped.assignments } : {}),
    },
    cursor,
  };
}

async function readScopedGroups(
  context: GraphReadContext,
): Promise<{ groups: readonly DirectoryGroup[]; assignments?: Assignments }> {
  const { http, config } = context;
  // Seeds of the next level need their names; the users come from the user list.
  const reading = { select: GRAPH_GROUP_PROPERTIES, keepUsers: false };
  switch (config.scope.mode) {
    case 'all': {
      const all = await http.listAll(
        graphPath('/groups', { $select: GRAPH_GROUP_PROPERTIES.join(','), $top: PAGE_SIZE }),
      );
      return { groups: (await expandGroups(http, all, reading)).groups };
    }
    case 'assigned': {
      const read = await readAssignments(http, config.scope.servicePrincipalId);
      const seeds = await currentGroups(http, read.assignments.groupIds);
      const expansion = await expandGroups(http, seeds, reading);
      return { groups: expansion.groups, assignments: read.assignments };
    }
    case 'groups': {
      const seeds = await Promise.all(config.scope.groups.map((reference) => scopeGroup(context, reference)));
      return { groups: (await expandGroups(http, seeds, reading)).groups };
    }
  }
}

/**
 * The assigned groups as they are now. An assignment's `principalDisplayName` is a copy taken when
 * the group was assigned: pushing it would rename a renamed group back on every full run.
 * A group deleted since the assignments were read is left out, as its members have left with it.
 */
async function currentGroups(http: GraphHttp, ids: readonly string[]): Promise<GraphObject[]> {
  const select = GRAPH_GROUP_PROPERTIES.join(',');
  const groups = await mapWithConcurrency(ids, MEMBER_READ_CONCURRENCY, (id) =>
    http.find(graphPath(`/groups/${encodeURIComponent(id)}`, { $select: select })),
  );
  return groups.filter((group) => group !== undefined);
}

/**
 * A listed scope group must resolve to exactly one group: reading on without it would look as if
 * its members had left, and deprovision them.
 */
async function scopeGroup(context: GraphReadContext, reference: string): Promise<GraphObject> {
  const resolution = await resolveGroup(context.http, reference);
  if (resolution.kind === 'found') return resolution.group;
  throw new SourceError(
    resolution.kind === 'missing'
      ? `scope group "${reference}" was not found in the directory`
      : `scope group "${reference}" names ${resolution.count} groups; list it by object id`,
    { class: 'fatal', cause: 'configuration' },
  );
}
