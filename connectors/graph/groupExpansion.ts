import type { DirectoryGroup } from '../../src/model/directory.js';
import { mapWithConcurrency } from '../../src/util/mapWithConcurrency.js';
import { type GraphHttp, type GraphObject, graphPath } from './client.js';
import { toDirectoryGroup } from './mapping.js';
import { MEMBER_READ_CONCURRENCY, PAGE_SIZE } from './readContext.js';

const USER_TYPE = '#microsoft.graph.user';
const GROUP_TYPE = '#microsoft.graph.group';

export interface GroupExpansion {
  /** Every group reached, with its direct members (users and groups). */
  readonly groups: readonly DirectoryGroup[];
  /** The user members met on the way, with the properties selected for members. */
  readonly memberUsers: readonly GraphObject[];
}

/**
 * Reads the direct members of the seed groups, then of the groups nested in them, level by level
 * until no new group appears (each group once, so cycles end). Seeds need `id` and `displayName`.
 */
export async function expandGroups(
  http: GraphHttp,
  seeds: readonly GraphObject[],
  memberSelect: readonly string[],
): Promise<GroupExpansion> {
  const groups: DirectoryGroup[] = [];
  const users = new Map<string, GraphObject>();
  const seen = new Set<string>();
  let level = seeds.filter((seed) => {
    const fresh = !seen.has(String(seed.id));
    seen.add(String(seed.id));
    return fresh;
  });
  while (level.length > 0) {
    const read = await mapWithConcurrency(level, MEMBER_READ_CONCURRENCY, async (group) => ({
      group,
      members: await http.listAll(
        graphPath(`/groups/${String(group.id)}/members`, {
          $select: memberSelect.join(','),
          $top: PAGE_SIZE,
        }),
      ),
    }));
    const next: GraphObject[] = [];
    for (const { group, members } of read) {
      const memberIds: string[] = [];
      for (const member of members) {
        const type = member['@odata.type'];
        const id = String(member.id);
        if (type === USER_TYPE) users.set(id, member);
        else if (type !== GROUP_TYPE) continue;
        else if (!seen.has(id)) {
          seen.add(id);
          next.push(member);
        }
        memberIds.push(id);
      }
      groups.push(toDirectoryGroup(group, memberIds));
    }
    level = next;
  }
  return { groups, memberUsers: [...users.values()] };
}
