import type { DirectoryGroup, DirectoryUser } from '../../src/model/directory.js';
import type { SubjectLookup, SubjectReferences } from '../../src/model/source.js';
import { mapWithConcurrency } from '../../src/util/mapWithConcurrency.js';
import { odataStringLiteral } from '../shared/odataLiteral.js';
import { readAssignments } from './assignments.js';
import { type GraphObject, graphPath } from './client.js';
import { expandGroups } from './groupExpansion.js';
import { resolveGroup } from './groupReferences.js';
import { GRAPH_GROUP_PROPERTIES, toDirectoryGroup, toDirectoryUser } from './mapping.js';
import { type GraphReadContext, isObjectId, MEMBER_READ_CONCURRENCY, PAGE_SIZE } from './readContext.js';

const GROUP_TYPE = '#microsoft.graph.group';

/**
 * A narrow read for on-demand provisioning. Named groups come with their members, nested groups
 * expanded. The groups a named user belongs to (transitively) come too, but with only the named
 * users as members: their full member lists are not read, and the engine must not take them as such.
 */
export async function lookupSubjects(
  context: GraphReadContext,
  subjects: SubjectReferences,
): Promise<SubjectLookup> {
  const { http, config } = context;
  const resolved: Record<string, string> = {};
  const users = new Map<string, GraphObject>();

  const foundUsers = await mapWithConcurrency(subjects.users, MEMBER_READ_CONCURRENCY, (reference) =>
    findUser(context, reference),
  );
  subjects.users.forEach((reference, index) => {
    const user = foundUsers[index];
    if (user === undefined) return;
    resolved[reference] = String(user.id);
    users.set(String(user.id), user);
  });

  const foundGroups = await mapWithConcurrency(
    subjects.groups,
    MEMBER_READ_CONCURRENCY,
    async (reference) => {
      const resolution = await resolveGroup(http, reference);
      if (resolution.kind === 'ambiguous') {
        context.logger.warn({ reference, count: resolution.count }, 'group name matches several groups');
      }
      return resolution.kind === 'found' ? resolution.group : undefined;
    },
  );
  const seeds: GraphObject[] = [];
  subjects.groups.forEach((reference, index) => {
    const group = foundGroups[index];
    if (group === undefined) return;
    resolved[reference] = String(group.id);
    seeds.push(group);
  });

  const expansion = await expandGroups(http, seeds, {
    select: [...new Set([...context.userSelect, ...GRAPH_GROUP_PROPERTIES])],
    keepUsers: true,
  });
  for (const member of expansion.memberUsers) users.set(String(member.id), member);
  const groups = new Map<string, DirectoryGroup>(expansion.groups.map((group) => [group.id, group]));
  await addGroupsOfNamedUsers(
    context,
    [...new Set(Object.values(resolved))].filter((id) => users.has(id)),
    groups,
  );

  const directoryUsers: DirectoryUser[] = [...users.values()].map(toDirectoryUser);
  const snapshot = { users: directoryUsers, groups: [...groups.values()] };
  if (config.scope.mode !== 'assigned') return { snapshot, resolved };
  const { assignments } = await readAssignments(http, config.scope.servicePrincipalId);
  return {
    snapshot: {
      ...snapshot,
      assignments: {
        userIds: assignments.userIds.filter((id) => users.has(id)),
        groupIds: assignments.groupIds.filter((id) => groups.has(id)),
      },
    },
    resolved,
  };
}

/** A user by object id, or by UPN or mail (one `$filter`, the UPN match preferred). */
async function findUser(context: GraphReadContext, reference: string): Promise<GraphObject | undefined> {
  const { http, userSelect } = context;
  const select = userSelect.join(',');
  if (isObjectId(reference)) return http.find(graphPath(`/users/${reference}`, { $select: select }));
  const literal = odataStringLiteral(reference);
  const matches = await http.listAll(
    graphPath('/users', {
      $filter: `userPrincipalName eq ${literal} or mail eq ${literal}`,
      $select: select,
      $top: PAGE_SIZE,
    }),
  );
  const wanted = reference.toLowerCase();
  const byName = matches.find((user) => String(user.userPrincipalName).toLowerCase() === wanted);
  if (byName) return byName;
  if (matches.length > 1)
    context.logger.warn({ count: matches.length }, 'mail address matches several users');
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Adds each named user to the groups it belongs to, directly or through nesting (flattened).
 * Groups read in full already (named ones and those nested in them) hold their real members.
 */
async function addGroupsOfNamedUsers(
  context: GraphReadContext,
  userIds: readonly string[],
  groups: Map<string, DirectoryGroup>,
): Promise<void> {
  const expanded = new Set(groups.keys());
  const memberships = await mapWithConcurrency(userIds, MEMBER_READ_CONCURRENCY, (userId) =>
    context.http.listAll(
      graphPath(`/users/${userId}/transitiveMemberOf`, {
        $select: GRAPH_GROUP_PROPERTIES.join(','),
        $top: PAGE_SIZE,
      }),
    ),
  );
  userIds.forEach((userId, index) => {
    for (const group of memberships[index] ?? []) {
      if (group['@odata.type'] !== GROUP_TYPE) continue;
      const id = String(group.id);
      if (expanded.has(id)) continue;
      const known = groups.get(id) ?? toDirectoryGroup(group, []);
      groups.set(id, { ...known, memberIds: [...known.memberIds, userId] });
    }
  });
}
