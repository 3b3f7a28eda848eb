import type { DirectoryGroup } from '../../src/model/directory.js';
import { mapWithConcurrency } from '../../src/util/mapWithConcurrency.js';
import { type GraphHttp, type GraphObject, type GraphPage, graphPath } from './client.js';
import { toDirectoryGroup } from './mapping.js';
import { MEMBER_READ_CONCURRENCY, PAGE_SIZE } from './readContext.js';

const USER_TYPE = '#microsoft.graph.user';
const GROUP_TYPE = '#microsoft.graph.group';

/**
 * Groups whose first member pages are read and turned into member ids before the next are asked
 * for: enough `$batch` requests to keep every one in flight busy, few enough that a 10,000-group
 * tenant's member objects are never all held at once.
 */
const GROUPS_PER_SLICE = 1_000;

export interface GroupExpansion {
  /** Every group reached, with its direct members (users and groups). */
  readonly groups: readonly DirectoryGroup[];
  /** The user members met on the way, with the properties selected for members (when kept). */
  readonly memberUsers: readonly GraphObject[];
}

export interface MemberReading {
  /** The member properties to `$select`. */
  readonly select: readonly string[];
  /**
   * Keep the user members' objects, for a read that has no other source of users. A full read
   * lists every user anyway: putting a million member objects in a map cost it about half a second
   * of CPU at 100,000 users and 1,000,000 memberships.
   */
  readonly keepUsers: boolean;
}

/**
 * Reads the direct members of the seed groups, then of the groups nested in them, level by level
 * until no new group appears (each group once, so cycles end). Seeds need `id` and `displayName`.
 * The first member page of each group comes through JSON `$batch` (20 groups a request); a longer
 * list is read on through its next links. A group deleted meanwhile (404) is left out.
 */
export async function expandGroups(
  http: GraphHttp,
  seeds: readonly GraphObject[],
  reading: MemberReading,
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
    const next: GraphObject[] = [];
    for (let start = 0; start < level.length; start += GROUPS_PER_SLICE) {
      for (const { group, members } of await readMembers(
        http,
        level.slice(start, start + GROUPS_PER_SLICE),
        reading.select,
      )) {
        const memberIds: string[] = [];
        for (const member of members) {
          const type = member['@odata.type'];
          const id = String(member.id);
          if (type === GROUP_TYPE) {
            if (!seen.has(id)) {
              seen.add(id);
              next.push(member);
            }
          } else if (type === USER_TYPE) {
            if (reading.keepUsers) users.set(id, member);
          } else continue;
          memberIds.push(id);
        }
        groups.push(toDirectoryGroup(group, memberIds));
      }
    }
    level = next;
  }
  return { groups, memberUsers: [...users.values()] };
}

/** The direct members of each group that still exists. */
async function readMembers(
  http: GraphHttp,
  groups: readonly GraphObject[],
  memberSelect: readonly string[],
): Promise<{ group: GraphObject; members: GraphObject[] }[]> {
  const firstPages = await http.getEach<GraphPage<GraphObject>>(
    groups.map((group) =>
      graphPath(`/groups/${encodeURIComponent(String(group.id))}/members`, {
        $select: memberSelect.join(','),
        $top: PAGE_SIZE,
      }),
    ),
  );
  const found = groups.flatMap((group, index) => {
    const firstPage = firstPages[index];
    return firstPage === undefined ? [] : [{ group, firstPage }];
  });
  return mapWithConcurrency(found, MEMBER_READ_CONCURRENCY, async ({ group, firstPage }) => ({
    group,
    members: await http.listOn(firstPage),
  }));
}
