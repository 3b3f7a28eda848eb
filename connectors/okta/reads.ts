import type { Client, Group, User } from '@okta/okta-sdk-nodejs';
import type { Assignments } from '../../src/model/directory.js';
import { mapWithConcurrency } from '../../src/util/mapWithConcurrency.js';
import { isNotFound } from './errors.js';
import { readAll } from './paging.js';

/** The largest pages each endpoint allows, to spend as few calls of the rate limit as possible. */
export const PAGE_SIZE = {
  users: 200,
  groups: 200,
  groupUsers: 1000,
  appUsers: 500,
  appGroups: 200,
  logs: 1000,
};
/** Requests in flight at once for per-group reads; the pacer still spreads them under the limit. */
export const READ_CONCURRENCY = 8;

export async function readUsers(client: Client, query: { search?: string } = {}): Promise<User[]> {
  return readAll(await client.userApi.listUsers({ ...query, limit: PAGE_SIZE.users }));
}

/** Every user: the plain list omits DEPROVISIONED users, so they are searched for on their own. */
export async function readAllUsers(client: Client): Promise<User[]> {
  const [listed, deprovisioned] = await Promise.all([
    readUsers(client),
    readUsers(client, { search: 'status eq "DEPROVISIONED"' }),
  ]);
  return [...new Map([...listed, ...deprovisioned].map((user) => [user.id, user])).values()];
}

/** Okta groups and app groups; BUILT_IN (Everyone) is Okta's own and never pushed, as Okta's Group Push does. */
export async function readGroups(client: Client, query: { search?: string } = {}): Promise<Group[]> {
  const groups = await readAll(await client.groupApi.listGroups({ ...query, limit: PAGE_SIZE.groups }));
  return groups.filter((group) => group.type !== 'BUILT_IN');
}

export async function readGroupMemberIds(client: Client, groupId: string): Promise<string[]> {
  const members = await readAll(
    await client.groupApi.listGroupUsers({ groupId, limit: PAGE_SIZE.groupUsers }),
  );
  return members.flatMap((member) => (member.id ? [member.id] : []));
}

export async function readMembersOfGroups(
  client: Client,
  groupIds: readonly string[],
): Promise<Map<string, string[]>> {
  const members = await mapWithConcurrency(groupIds, READ_CONCURRENCY, (groupId) =>
    readGroupMemberIds(client, groupId),
  );
  return new Map(groupIds.map((groupId, index) => [groupId, members[index] ?? []]));
}

/** Users assigned to the app directly (scope USER) and the groups assigned to it. */
export async function readAppAssignments(client: Client, appId: string): Promise<Assignments> {
  const [appUsers, appGroups] = await Promise.all([
    client.applicationApi
      .listApplicationUsers({ appId, limit: PAGE_SIZE.appUsers })
      .then((collection) => readAll(collection)),
    client.applicationApi
      .listApplicationGroupAssignments({ appId, limit: PAGE_SIZE.appGroups })
      .then((collection) => readAll(collection)),
  ]);
  return {
    userIds: appUsers.flatMap((appUser) => (appUser.scope === 'USER' && appUser.id ? [appUser.id] : [])),
    groupIds: appGroups.flatMap((assignment) => (assignment.id ? [assignment.id] : [])),
  };
}

/** Whether the user is assigned to the app directly (not only through a group); one request. */
export async function isDirectlyAssigned(client: Client, appId: string, userId: string): Promise<boolean> {
  try {
    const appUser = await client.applicationApi.getApplicationUser({ appId, userId });
    return appUser.scope === 'USER';
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
