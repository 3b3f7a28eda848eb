import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writesIn } from '../support/scimState.js';
import { type FileTenant, population, startFileTenant } from './support.js';

const MEMBERS = 50_000;

describe('a group of 50,000 members', () => {
  const users = population('member', MEMBERS);
  let tenant: FileTenant;

  beforeAll(async () => {
    // The emulator spends time in proportion to the group's size on every PATCH: fewer, larger ones.
    tenant = await startFileTenant({ membersPerPatch: 1000 });
    // The users were provisioned by earlier syncs (50,000 creates would only time the queue): the group is the case.
    for (const user of users)
      tenant.scim.store.seedUser({
        userName: user.userName,
        externalId: user.id,
        name: { givenName: user.givenName },
      });
    tenant.write({
      users,
      groups: [{ id: 'g-everyone', displayName: 'Everyone', members: users.map((user) => user.id) }],
    });
  });
  afterAll(() => tenant?.close());

  test('is created with every member, and the next run changes nothing', async () => {
    tenant.scim.server.resetCalls();
    const first = await tenant.harness.run('full');
    expect(first).toMatchObject({ status: 'succeeded', failureCount: 0 });
    expect(first.counts.createGroup?.succeeded).toBe(1);
    expect(Object.keys(first.counts).sort()).toEqual(['addMembers', 'createGroup']);
    // Members, not ops: those sent with the create and those its follow-up PATCHes added.
    expect(first.memberships).toEqual({ added: MEMBERS, removed: 0 });
    // The PATCHes went out once the group existed: none failed, none had to look for the group.
    const groupCalls = tenant.scim.server.calls.filter((call) => call.path.includes('/Groups'));
    expect(groupCalls.filter((call) => call.method === 'GET')).toHaveLength(1);
    expect(groupCalls.every((call) => call.status < 300)).toBe(true);

    const [group] = tenant.scim.store.groups();
    const memberIds = new Set(((group?.members ?? []) as { value: string }[]).map((member) => member.value));
    expect(memberIds.size).toBe(MEMBERS);
    const userIds = new Set(tenant.scim.store.users().map((user) => String(user.id)));
    expect(memberIds).toEqual(userIds);

    tenant.scim.server.resetCalls();
    const second = await tenant.harness.run('full');
    expect(second).toMatchObject({ status: 'succeeded', failureCount: 0 });
    expect(writesIn(tenant.scim.server.calls)).toBe(0);
    expect(second.memberships).toEqual({ added: 0, removed: 0 });
  }, 90_000);
});
