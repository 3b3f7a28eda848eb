import type { DirectoryGroup, DirectoryUser } from '../../src/model/directory.js';
import { mapWithConcurrency } from '../../src/util/mapWithConcurrency.js';
import { type GraphObject, type GraphPage, graphPath } from './client.js';
import { toDirectoryGroup, toDirectoryUser } from './mapping.js';
import { type GraphReadContext, MEMBER_READ_CONCURRENCY, PAGE_SIZE } from './readContext.js';

const MEMBER_TYPES = new Set(['#microsoft.graph.user', '#microsoft.graph.group']);

/**
 * Users and groups read whole by object id, several to a `$batch` request: a group with its direct
 * members (a member list longer than a page is read on through its next links). An object that no
 * longer exists is left out.
 */
export async function readObjectsById(
  context: GraphReadContext,
  ids: { readonly users: readonly string[]; readonly groups: readonly string[] },
): Promise<{ users: DirectoryUser[]; groups: DirectoryGroup[] }> {
  const { http, userSelect } = context;
  const userPaths = ids.users.map((id) =>
    graphPath(`/users/${encodeURIComponent(id)}`, { $select: userSelect.join(',') }),
  );
  const groupPaths = ids.groups.flatMap((id) => [
    graphPath(`/groups/${encodeURIComponent(id)}`, { $select: 'id,displayName' }),
    graphPath(`/groups/${encodeURIComponent(id)}/members`, { $select: 'id', $top: PAGE_SIZE }),
  ]);
  const answers = await http.getEach([...userPaths, ...groupPaths]);
  const users = answers
    .slice(0, userPaths.length)
    .filter((user) => user !== undefined)
    .map(toDirectoryUser);

  const found: { group: GraphObject; firstPage: GraphPage<GraphObject> }[] = [];
  for (let index = userPaths.length; index < answers.length; index += 2) {
    const group = answers[index];
    const firstPage = answers[index + 1] as GraphPage<GraphObject> | undefined;
    if (group !== undefined && firstPage !== undefined) found.push({ group, firstPage });
  }
  const groups = await mapWithConcurrency(found, MEMBER_READ_CONCURRENCY, async ({ group, firstPage }) => {
    const members = await http.listOn(firstPage);
    const memberIds = members
      .filter((member) => MEMBER_TYPES.has(String(member['@odata.type'])))
      .map((member) => String(member.id));
    return toDirectoryGroup(group, memberIds);
  });
  return { users, groups };
}
