import type { Client, Group, User } from '@okta/okta-sdk-nodejs';
import type { DirectoryGroup } from '../../src/model/directory.js';
import type { SubjectLookup, SubjectReferences } from '../../src/model/source.js';
import { mapWithConcurrency } from '../../src/util/mapWithConcurrency.js';
import { isNotFound, isRefused } from './errors.js';
import { equals, equalsAny } from './expressions.js';
import { toDirectoryGroup } from './mapping.js';
import { readAll } from './paging.js';
import { directoryUsers, type OktaContext, scopedAppId } from './readContext.js';
import { isDirectlyAssigned, PAGE_SIZE, READ_CONCURRENCY, readGroups, readUsers } from './reads.js';

const USER_ID = /^00u[0-9A-Za-z]{17}$/;
const GROUP_ID = /^00g[0-9A-Za-z]{17}$/;

/**
 * The named users and groups, every member of a named group, the groups of a named user (Okta
 * has no nested groups) and the app assignments among them, in a handful of calls per subject.
 * A reference matching several objects is left unresolved: never provision a guess.
 */
export async function lookupSubjects(
  context: OktaContext,
  subjects: SubjectReferences,
): Promise<SubjectLookup> {
  const { client } = context;
  const resolved: Record<string, string> = {};
  const users = new Map<string, User>();
  const groups = new Map<string, DirectoryGroup>();
  const failed: Record<string, string> = {};
  // One reference Okta cannot search for (the SDK fails on the long paging link of a very long
  // value) is that subject's failure; refused credentials fail the whole request.
  const lookedUp = <T>(reference: string, find: () => Promise<T | undefined>) =>
    find().catch((error: unknown) => {
      if (isRefused(error)) throw error;
      failed[reference] = (error as Error).message?.split('\n')[0] || String(error);
      return undefined;
    });

  const namedUsers = await mapWithConcurrency(subjects.users, READ_CONCURRENCY, (reference) =>
    lookedUp(reference, () => findUser(client, reference)),
  );
  const namedGroups = await mapWithConcurrency(subjects.groups, READ_CONCURRENCY, (reference) =>
    lookedUp(reference, () => findGroup(client, reference)),
  );

  await mapWithConcurrency(namedGroups, READ_CONCURRENCY, async (group, index) => {
    if (!group?.id) return;
    resolved[subjects.groups[index] ?? ''] = group.id;
    const members = await readAll(
      await client.groupApi.listGroupUsers({ groupId: group.id, limit: PAGE_SIZE.groupUsers }),
    );
    for (const member of members) if (member.id) users.set(member.id, member);
    groups.set(
      group.id,
      toDirectoryGroup(
        group,
        members.flatMap((member) => member.id ?? []),
      ),
    );
  });

  await mapWithConcurrency(namedUsers, READ_CONCURRENCY, async (user, index) => {
    if (!user?.id) return;
    const userId = user.id;
    resolved[subjects.users[index] ?? ''] = userId;
    users.set(userId, user);
    const ownGroups = await readAll(await client.userApi.listUserGroups({ userId }));
    for (const group of ownGroups) {
      if (!group.id || group.type === 'BUILT_IN') continue;
      // Only the members this lookup knows: listing all of a large group is not a lookup.
      const known = groups.get(group.id) ?? toDirectoryGroup(group, []);
      if (!known.memberIds.includes(userId)) {
        groups.set(group.id, { ...known, memberIds: [...known.memberIds, userId] });
      }
    }
  });

  const appId = scopedAppId(context.config);
  const snapshot = {
    users: directoryUsers(context, [...users.values()]),
    groups: [...groups.values()],
    ...(appId === undefined
      ? {}
      : { assignments: await lookupAssignments(context, appId, namedUsers, groups) }),
  };
  return { snapshot, resolved, ...(Object.keys(failed).length > 0 ? { failed } : {}) };
}

async function lookupAssignments(
  context: OktaContext,
  appId: string,
  namedUsers: readonly (User | undefined)[],
  groups: ReadonlyMap<string, DirectoryGroup>,
): Promise<{ userIds: string[]; groupIds: string[] }> {
  const userIds = namedUsers.flatMap((user) => (user?.id ? [user.id] : []));
  const [direct, appGroups] = await Promise.all([
    mapWithConcurrency(userIds, READ_CONCURRENCY, (userId) =>
      isDirectlyAssigned(context.client, appId, userId),
    ),
    groups.size === 0
      ? []
      : context.client.applicationApi
          .listApplicationGroupAssignments({ appId, limit: PAGE_SIZE.appGroups })
          .then((collection) => readAll(collection)),
  ]);
  return {
    userIds: userIds.filter((_id, index) => direct[index]),
    groupIds: appGroups.flatMap((assignment) =>
      assignment.id && groups.has(assignment.id) ? [assignment.id] : [],
    ),
  };
}

async function findUser(client: Client, reference: string): Promise<User | undefined> {
  if (USER_ID.test(reference)) {
    try {
      return await client.userApi.getUser({ userId: reference });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
  const found = await readUsers(client, {
    search: equalsAny(['profile.login', 'profile.email'], [reference]),
  });
  const byLogin = found.filter((user) => sameText(user.profile?.login, reference));
  return only(byLogin.length > 0 ? byLogin : found);
}

async function findGroup(client: Client, reference: string): Promise<Group | undefined> {
  if (GROUP_ID.test(reference)) {
    try {
      return await client.groupApi.getGroup({ groupId: reference });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
  return only(await readGroups(client, { search: equals('profile.name', reference) }));
}

function sameText(value: string | undefined, reference: string): boolean {
  return value?.toLowerCase() === reference.toLowerCase();
}

function only<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}
