import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunFailure } from '../../src/model/run.js';
import { applyOp, TerminalOpError } from '../../src/queue/applyOp.js';
import {
  applyContextOf,
  type FileDirectory,
  type FileTenant,
  type FileUser,
  startFileTenant,
} from './support.js';

type Json = Record<string, unknown>;

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const workEmail = (value: string) => [{ type: 'work', value, primary: true }];

/** Objects someone else put on the platform: this tenant must never write to one of them. */
function seedForeignObjects(tenant: FileTenant) {
  const { store } = tenant.scim;
  const users = {
    /** Holds the userName of source user s-pat, under another system's externalId. */
    foreignPat: store.seedUser({ userName: 'pat@example.com', externalId: 'other-idp-77', title: 'Theirs' }),
    /** Two unclaimed users sharing the work email of source user s-kim: no guess between them. */
    kimA: store.seedUser({ userName: 'kim.a@example.com', emails: workEmail('kim@example.com') }),
    kimB: store.seedUser({ userName: 'kim.b@example.com', emails: workEmail('kim@example.com') }),
    /** Nothing in the source names them. */
    visitor: store.seedUser({ userName: 'visitor@example.com', active: true }),
    contractor: store.seedUser({
      userName: 'contractor@example.com',
      externalId: 'hr-system-5',
      [ENTERPRISE]: { department: 'Facilities' },
    }),
  };
  const groups = {
    /** Same name as source group g-staff, but another system's. */
    foreignStaff: store.seedGroup({
      displayName: 'Staff',
      externalId: 'other-idp-g1',
      members: [{ value: users.foreignPat.id }, { value: users.contractor.id }],
    }),
  };
  return { users, groups };
}

const samUnclaimed = { userName: 'sam@example.com', title: 'Old title' };
const adminsUnclaimed = { displayName: 'Admins' };

const sam: FileUser = { id: 's-sam', userName: 'SAM@example.com', title: 'Analyst' };
const pat: FileUser = { id: 's-pat', userName: 'pat@example.com', givenName: 'Pat' };
const kim: FileUser = { id: 's-kim', userName: 'kim@example.com', email: 'kim@example.com' };
const lee: FileUser = { id: 's-lee', userName: 'lee@example.com' };
const source: FileDirectory = {
  users: [sam, pat, kim, lee],
  groups: [
    { id: 'g-staff', displayName: 'Staff', members: ['s-sam', 's-pat', 's-kim', 's-lee'] },
    { id: 'g-admins', displayName: 'Admins', members: ['s-lee'] },
  ],
};

const byId = (objects: readonly Json[]) => new Map(objects.map((object) => [String(object.id), object]));

describe('ownership: platform objects this tenant does not manage are never written', () => {
  let tenant: FileTenant;
  let foreign: ReturnType<typeof seedForeignObjects>;
  let foreignIds: string[];
  let samId: string;
  let adminsId: string;

  /** Every foreign object is exactly as seeded, and no write call of this tenant named one. */
  const expectForeignUntouched = () => {
    const users = byId(tenant.scim.store.users());
    const groups = byId(tenant.scim.store.groups());
    for (const user of Object.values(foreign.users)) expect(users.get(String(user.id))).toEqual(user);
    for (const group of Object.values(foreign.groups)) expect(groups.get(String(group.id))).toEqual(group);
    const writes = tenant.scim.server.calls.filter((call) => call.method !== 'GET');
    for (const id of foreignIds) expect(writes.filter((call) => call.path.includes(id))).toEqual([]);
  };

  beforeAll(async () => {
    tenant = await startFileTenant({
      safety: '{ maxDeactivations: 1000, maxDeactivationRatio: 1, minSourceRatio: 0, deprovision: delete }',
    });
    foreign = seedForeignObjects(tenant);
    foreignIds = [...Object.values(foreign.users), ...Object.values(foreign.groups)].map((object) =>
      String(object.id),
    );
    samId = String(tenant.scim.store.seedUser(samUnclaimed).id);
    adminsId = String(tenant.scim.store.seedGroup(adminsUnclaimed).id);
  });
  afterAll(() => tenant?.close());

  test('a full run adopts the unique unclaimed match, reports the foreign and ambiguous ones, touches no other', async () => {
    tenant.write(source);
    const run = await tenant.harness.run('full');
    expect(run.status).toBe('completedWithFailures');
    const failures = [...run.failures].sort((left, right) =>
      String(left.externalId).localeCompare(String(right.externalId)),
    );
    expect(failures).toEqual<RunFailure[]>([
      {
        objectType: 'user',
        externalId: 's-kim',
        reason: 'conflict: 2 platform users match by email kim@example.com',
      },
      {
        objectType: 'user',
        externalId: 's-pat',
        reason: 'userName taken by a platform user this tenant does not manage',
      },
    ]);
    expectForeignUntouched();

    const users = byId(tenant.scim.store.users());
    expect(users.get(samId)).toMatchObject({
      externalId: 's-sam',
      userName: 'SAM@example.com',
      title: 'Analyst',
    });
    expect(tenant.scim.store.users()).toHaveLength(7);
    const groups = tenant.scim.store.groups();
    const ours = groups.filter((group) => group.externalId === 'g-staff');
    expect(ours).toHaveLength(1);
    expect(ours[0]!.id).not.toBe(foreign.groups.foreignStaff.id);
    expect(byId(groups).get(adminsId)).toMatchObject({ externalId: 'g-admins', displayName: 'Admins' });
  });

  test('on-demand provisioning of the contested user ends at match with the conflict, and writes nothing', async () => {
    tenant.scim.server.resetCalls();
    const answer = await tenant.provision({ users: ['s-pat'], groups: [] });
    const [trace] = answer.results;
    expect(trace).toMatchObject({ subject: 's-pat', status: 'failure' });
    expect(trace!.steps.at(-1)).toMatchObject({
      step: 'match',
      status: 'failure',
      details: expect.objectContaining({
        reason: 'userName taken by a platform user this tenant does not manage',
      }),
    });
    expect(tenant.scim.server.calls.filter((call) => call.method !== 'GET')).toEqual([]);
    expectForeignUntouched();
  });

  test('an approved empty source deletes the managed objects (the adopted ones too), and the foreign ones stay exactly as they were', async () => {
    tenant.write({ users: [], groups: [] });
    tenant.scim.server.resetCalls();
    const held = await tenant.harness.run('full');
    expect(held.status).toBe('held');
    const { applied: run } = await tenant.approve(held.id);
    expect(run).toMatchObject({ status: 'succeeded', failureCount: 0 });
    expect(run?.counts.deleteUser?.succeeded).toBe(2);
    expect(run?.counts.deleteGroup?.succeeded).toBe(2);
    expectForeignUntouched();
    expect(
      tenant.scim.store
        .users()
        .map((user) => user.id)
        .sort(),
    ).toEqual(
      Object.values(foreign.users)
        .map((user) => user.id)
        .sort(),
    );
    expect(tenant.scim.store.groups().map((group) => group.id)).toEqual([foreign.groups.foreignStaff.id]);
  });

  test('a create that meets a foreign userName at apply time fails for good and adopts nothing', async () => {
    const { harness } = tenant;
    const context = applyContextOf(harness, false);
    tenant.scim.server.resetCalls();
    const taken = applyOp(
      {
        kind: 'createUser',
        externalId: 's-late',
        active: true,
        attributes: { userName: 'contractor@example.com', displayName: 'Late joiner' },
      },
      context,
    );
    await expect(taken).rejects.toThrow(TerminalOpError);
    await expect(taken).rejects.toThrow(/another externalId \(hr-system-5\)/);
    expectForeignUntouched();

    // The same race against an unclaimed user adopts it: it is what a full run would have matched.
    const unclaimed = tenant.scim.store.seedUser({ userName: 'walk-in@example.com' });
    const adopted = await applyOp(
      {
        kind: 'createUser',
        externalId: 's-walk-in',
        active: true,
        attributes: { userName: 'walk-in@example.com', title: 'Visitor' },
      },
      context,
    );
    expect(adopted.targetId).toBe(unclaimed.id);
    expect(byId(tenant.scim.store.users()).get(String(unclaimed.id))).toMatchObject({
      externalId: 's-walk-in',
      title: 'Visitor',
    });
  });
});
