import { afterEach, describe, expect, test } from 'vitest';
import type { RunRecord } from '../../src/model/run.js';
import { platformView, type UserView, writesIn } from '../support/scimState.js';
import { type FileTenant, type FileUser, population, startFileTenant } from './support.js';

const staff = population('staff', 10);
const staffGroup = (users: readonly FileUser[]) => ({
  id: 'g-staff',
  displayName: 'Staff',
  members: users.map((user) => user.id),
});

/** A tenant whose ten staff are provisioned by a first, unguarded run. */
async function provisionedTenant(safety: string): Promise<FileTenant> {
  const tenant = await startFileTenant({ safety });
  tenant.write({ users: staff, groups: [staffGroup(staff)] });
  const first = await tenant.harness.run('full');
  expect(first).toMatchObject({ status: 'succeeded', failureCount: 0 });
  expect(tenant.scim.store.users()).toHaveLength(10);
  return tenant;
}

/** Runs once with the platform's call log cleared, and checks that not one write reached it. */
async function heldRun(tenant: FileTenant): Promise<RunRecord> {
  const before = platformView(tenant.scim);
  tenant.scim.server.resetCalls();
  const run = await tenant.harness.run('full');
  expect(run.status, run.error).toBe('held');
  expect(writesIn(tenant.scim.server.calls)).toBe(0);
  expect(platformView(tenant.scim)).toEqual(before);
  return run;
}

const withActive = (users: readonly UserView[], inactive: ReadonlySet<string>) =>
  users.map((user) => (inactive.has(user.externalId ?? '') ? { ...user, active: false } : user));

describe('safety guards hold a run that would take accounts away, and approval applies exactly what was held', () => {
  let tenant: FileTenant | undefined;
  afterEach(async () => {
    await tenant?.close();
    tenant = undefined;
  });

  test('more deactivations than maxDeactivations: held, nothing written, and held again on the next run', async () => {
    tenant = await provisionedTenant('{ maxDeactivations: 3, maxDeactivationRatio: 1, minSourceRatio: 0 }');
    const kept = staff.slice(0, 6);
    tenant.write({ users: kept, groups: [staffGroup(kept)] });

    const held = await heldRun(tenant);
    expect(held.heldReason).toBe('4 users would be deactivated or deleted, over maxDeactivations 3');
    expect(held.plan?.ops.filter((op) => op.kind === 'deactivateUser')).toHaveLength(4);
    // The hold does not wear off: the next run sees the same danger.
    expect((await heldRun(tenant)).heldReason).toBe(held.heldReason);
  });

  test('deactivations and disablings over maxDeactivationRatio of the managed users: held', async () => {
    tenant = await provisionedTenant(
      '{ maxDeactivations: 1000, maxDeactivationRatio: 0.2, minSourceRatio: 0 }',
    );
    const users = [...staff.slice(0, 7), { ...staff[7]!, active: false }];
    tenant.write({ users, groups: [staffGroup(users)] });

    const held = await heldRun(tenant);
    expect(held.heldReason).toBe(
      '3 of 10 managed users would be deactivated or deleted, over maxDeactivationRatio 0.2',
    );
  });

  test('a source that returns no users while the platform has managed users: held', async () => {
    tenant = await provisionedTenant(
      '{ maxDeactivations: 1000, maxDeactivationRatio: 1, minSourceRatio: 0 }',
    );
    tenant.write({ users: [], groups: [] });

    const held = await heldRun(tenant);
    expect(held.heldReason).toBe('the source returned no users while 10 platform users are managed');
  });

  test('a directory sharply smaller than the last complete read (minSourceRatio): held, even with deletion', async () => {
    tenant = await provisionedTenant(
      '{ maxDeactivations: 1000, maxDeactivationRatio: 1, minSourceRatio: 0.5, deprovision: delete }',
    );
    const kept = staff.slice(0, 4);
    tenant.write({ users: kept, groups: [staffGroup(kept)] });

    const held = await heldRun(tenant);
    expect(held.heldReason).toBe('the source returned 4 users, under minSourceRatio 0.5 of the previous 10');
    expect(held.plan?.ops.filter((op) => op.kind === 'deleteUser')).toHaveLength(6);
  });

  test('approve applies exactly the held plan, even when the source moved on since; a second approve is refused', async () => {
    tenant = await provisionedTenant('{ maxDeactivations: 3, maxDeactivationRatio: 1, minSourceRatio: 0 }');
    const before = platformView(tenant.scim);
    const newcomer: FileUser = { id: 'new-1', userName: 'new-1@example.com', givenName: 'New' };
    const promoted: FileUser = { ...staff[0]!, title: 'Lead' };
    const heldUsers = [promoted, ...staff.slice(1, 6), newcomer];
    tenant.write({ users: heldUsers, groups: [staffGroup(heldUsers)] });
    const held = await heldRun(tenant);
    expect(held.heldReason).toMatch(/over maxDeactivations 3/);

    // After the hold, the directory changes again: none of this may ride along with the approval.
    const later: FileUser = { id: 'new-2', userName: 'new-2@example.com' };
    const laterUsers = [...heldUsers, staff[9]!, later];
    tenant.write({ users: laterUsers, groups: [staffGroup(laterUsers)] });

    const { outcome, applied } = await tenant.approve(held.id);
    expect(outcome.approved).toBe(true);
    expect(applied).toMatchObject({ id: held.id, status: 'succeeded', failureCount: 0 });
    const gone = new Set(staff.slice(6).map((user) => user.id));
    expect(platformView(tenant.scim)).toEqual({
      users: [
        ...withActive(before.users, gone).map((user) =>
          user.externalId === promoted.id ? { ...user, title: 'Lead' } : user,
        ),
        { userName: 'new-1@example.com', externalId: 'new-1', active: true, givenName: 'New' },
      ].sort((left, right) => left.userName.localeCompare(right.userName)),
      groups: [
        {
          displayName: 'Staff',
          externalId: 'g-staff',
          members: heldUsers.map((user) => String(user.userName)).sort(),
        },
      ],
    });

    tenant.scim.server.resetCalls();
    const again = await tenant.approve(held.id);
    expect(again.outcome).toMatchObject({ approved: false, problem: 'notHeld' });
    expect(writesIn(tenant.scim.server.calls)).toBe(0);
  });

  test('a held plan that expired is never applied, by the approve command or by a queued approval, and says so', async () => {
    tenant = await provisionedTenant(
      // 0.0003 h is about a second.
      '{ maxDeactivations: 3, maxDeactivationRatio: 1, minSourceRatio: 0, heldRunExpiryHours: 0.0003 }',
    );
    const kept = staff.slice(0, 5);
    tenant.write({ users: kept, groups: [staffGroup(kept)] });
    const byCommand = await heldRun(tenant);
    const byWorker = await heldRun(tenant);
    await new Promise((wake) => setTimeout(wake, 1500));
    const before = platformView(tenant.scim);
    tenant.scim.server.resetCalls();

    const refused = await tenant.approve(byCommand.id);
    expect(refused.outcome).toMatchObject({ approved: false, problem: 'expired' });
    expect(await tenant.harness.stores.runs.get(tenant.harness.tenant.id, byCommand.id)).toMatchObject({
      status: 'expired',
    });

    // A worker that takes an approval whose plan expired after it was queued.
    const expired = await tenant.executeApproval(byWorker);
    expect(expired).toMatchObject({ status: 'expired', error: expect.stringMatching(/expired/) });

    expect(writesIn(tenant.scim.server.calls)).toBe(0);
    expect(platformView(tenant.scim)).toEqual(before);
  });
});
