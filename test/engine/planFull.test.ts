import { describe, expect, it } from 'vitest';
import { computeDesired } from '../../src/engine/desired.js';
import { planFull } from '../../src/engine/plan.js';
import type { EngineSettings } from '../../src/engine/settings.js';
import type { DirectorySnapshot } from '../../src/model/directory.js';
import type { PlatformState } from '../../src/model/scim.js';
import {
  DEPARTMENT,
  owned,
  platformGroup,
  platformUser,
  settings,
  sourceGroup,
  sourceUser,
} from './fixtures.js';

function plan(
  snapshot: DirectorySnapshot,
  platform: PlatformState,
  overrides: Partial<EngineSettings> = {},
  ownedUsers: readonly string[] = [],
  ownedGroups: readonly string[] = [],
) {
  const engineSettings = settings(overrides);
  return planFull({
    desired: computeDesired(snapshot, engineSettings),
    platform,
    owned: owned(ownedUsers, ownedGroups),
    settings: engineSettings,
  });
}

const noGroups = { groups: [] };
const ann = sourceUser('ann', { department: 'Sales', title: 'Engineer' });
const annOnPlatform = { userName: 'ann@example.com', [DEPARTMENT]: 'Sales', title: 'Engineer' };

describe('planFull: users', () => {
  it('creates an in-scope active user the platform lacks', () => {
    expect(plan({ users: [ann], ...noGroups }, { users: [], ...noGroups }).userOps).toEqual([
      { kind: 'createUser', externalId: 'ann', active: true, attributes: annOnPlatform },
    ]);
  });

  it('creates nothing for an inactive user without a platform account', () => {
    expect(
      plan({ users: [sourceUser('ann', {}, false)], ...noGroups }, { users: [], ...noGroups }).userOps,
    ).toEqual([]);
  });

  it('plans nothing when the platform is already right', () => {
    const platform = {
      users: [platformUser('p1', 'ann', { ...annOnPlatform, 'x:unmapped': 'kept' })],
      ...noGroups,
    };
    const result = plan({ users: [ann], ...noGroups }, platform);
    expect(result).toEqual({ userOps: [], groupOps: [], problems: [], managedUserCount: 1 });
  });

  it('updates only mapped paths, removing a value the source no longer has', () => {
    const platform = {
      users: [platformUser('p1', 'ann', { ...annOnPlatform, title: 'Lead', displayName: 'Ann' })],
      ...noGroups,
    };
    expect(plan({ users: [ann], ...noGroups }, platform).userOps).toEqual([
      {
        kind: 'updateUser',
        externalId: 'ann',
        targetId: 'p1',
        active: true,
        attributes: annOnPlatform,
        changes: [
          { path: 'displayName', from: 'Ann' },
          { path: 'title', from: 'Lead', to: 'Engineer' },
        ],
      },
    ]);
  });

  it('adopts a matched user by writing its externalId', () => {
    const platform = { users: [platformUser('p1', undefined, annOnPlatform)], ...noGroups };
    const result = plan({ users: [ann], ...noGroups }, platform);
    expect(result.userOps).toEqual([
      expect.objectContaining({
        kind: 'updateUser',
        targetId: 'p1',
        adoptedBy: 'userName',
        changes: [{ path: 'externalId', to: 'ann' }],
      }),
    ]);
    expect(result.managedUserCount).toBe(1);
  });

  it('reactivates a returning user, carrying its other changes', () => {
    const platform = {
      users: [platformUser('p1', 'ann', { ...annOnPlatform, title: 'Intern' }, false)],
      ...noGroups,
    };
    expect(plan({ users: [ann], ...noGroups }, platform).userOps).toEqual([
      expect.objectContaining({
        kind: 'reactivateUser',
        changes: [
          { path: 'title', from: 'Intern', to: 'Engineer' },
          { path: 'active', from: false, to: true },
        ],
      }),
    ]);
  });

  it('deactivates a user disabled in the source; with other changes it is an update that includes active', () => {
    const disabled = sourceUser('ann', { department: 'Sales', title: 'Engineer' }, false);
    const right = { users: [platformUser('p1', 'ann', annOnPlatform)], ...noGroups };
    expect(plan({ users: [disabled], ...noGroups }, right).userOps).toEqual([
      { kind: 'deactivateUser', externalId: 'ann', targetId: 'p1' },
    ]);
    const drifted = { users: [platformUser('p1', 'ann', { ...annOnPlatform, title: 'Lead' })], ...noGroups };
    expect(plan({ users: [disabled], ...noGroups }, drifted).userOps).toEqual([
      expect.objectContaining({
        kind: 'updateUser',
        active: false,
        changes: [
          { path: 'title', from: 'Lead', to: 'Engineer' },
          { path: 'active', from: true, to: false },
        ],
      }),
    ]);
  });

  describe('deprovisioning', () => {
    const platform = {
      users: [
        platformUser('p1', 'gone', { userName: 'gone@example.com' }),
        platformUser('p2', 'ann', annOnPlatform),
        platformUser('p3', 'gone-inactive', { userName: 'old@example.com' }, false),
        platformUser('p4', 'foreign', { userName: 'foreign@example.com' }),
        platformUser('p5', undefined, { userName: 'manual@example.com' }),
      ],
      ...noGroups,
    };
    const assignedNobody = { users: [ann], groups: [], assignments: { userIds: [], groupIds: [] } };
    const ownedIds = ['gone', 'gone-inactive', 'ann'];

    it('deactivates managed users gone from the source or out of scope, never unmanaged ones', () => {
      const result = plan(assignedNobody, platform, { scope: { mode: 'assigned' } }, ownedIds);
      expect(result.userOps).toEqual([
        { kind: 'deactivateUser', externalId: 'ann', targetId: 'p2' },
        { kind: 'deactivateUser', externalId: 'gone', targetId: 'p1' },
      ]);
      expect(result.managedUserCount).toBe(3);
    });

    it('deletes them with deprovision delete, inactive ones included', () => {
      const result = plan(
        assignedNobody,
        platform,
        { scope: { mode: 'assigned' }, deprovision: 'delete' },
        ownedIds,
      );
      expect(result.userOps.map((op) => [op.kind, op.externalId])).toEqual([
        ['deleteUser', 'ann'],
        ['deleteUser', 'gone'],
        ['deleteUser', 'gone-inactive'],
      ]);
    });

    it('leaves out-of-scope users alone with skipOutOfScopeDeletions, but not users gone from the source', () => {
      const result = plan(
        assignedNobody,
        platform,
        { scope: { mode: 'assigned' }, skipOutOfScopeDeletions: true },
        ownedIds,
      );
      expect(result.userOps).toEqual([{ kind: 'deactivateUser', externalId: 'gone', targetId: 'p1' }]);
    });
  });

  it('reports a problem instead of creating a user whose userName a foreign platform user holds', () => {
    const platform = { users: [platformUser('p1', 'foreign', { userName: 'ANN@example.com' })], ...noGroups };
    const result = plan({ users: [ann], ...noGroups }, platform);
    expect(result.userOps).toEqual([]);
    expect(result.problems).toEqual([
      {
        objectType: 'user',
        externalId: 'ann',
        reason: 'userName taken by a platform user this tenant does not manage',
      },
    ]);
  });

  it('reports a user without a userName instead of sending a create the platform refuses', () => {
    const nameless = { id: 'x', active: true, attributes: { email: 'x@example.com' } };
    expect(plan({ users: [nameless], ...noGroups }, { users: [], ...noGroups }).problems).toEqual([
      { objectType: 'user', externalId: 'x', reason: 'no userName: its mapped source attribute is empty' },
    ]);
  });

  it('orders user ops by externalId so job ids are stable', () => {
    const users = ['m', 'b', 'z', 'a'].map((id) => sourceUser(id));
    expect(
      plan({ users, ...noGroups }, { users: [], ...noGroups }).userOps.map((op) => op.externalId),
    ).toEqual(['a', 'b', 'm', 'z']);
  });
});

describe('planFull: groups', () => {
  const members = ['u1', 'u2', 'u3', 'u4', 'u5'];
  const users = members.map((id) => sourceUser(id));
  const linkedUsers = members.map((id) => platformUser(`p-${id}`, id, { userName: `${id}@example.com` }));

  it('creates a group with at most membersPerPatch members; the rest follow in chunks', () => {
    const snapshot = { users, groups: [sourceGroup('g1', 'Sales', members)] };
    const result = plan(snapshot, { users: linkedUsers, groups: [] }, { membersPerPatch: 2 });
    expect(result.groupOps).toEqual([
      { kind: 'createGroup', externalId: 'g1', displayName: 'Sales', memberExternalIds: ['u1', 'u2'] },
      { kind: 'addMembers', externalId: 'g1', displayName: 'Sales', memberExternalIds: ['u3', 'u4'] },
      { kind: 'addMembers', externalId: 'g1', displayName: 'Sales', memberExternalIds: ['u5'] },
    ]);
  });

  it('adds members that will be created, but not inactive users without an account', () => {
    const snapshot = {
      users: [sourceUser('new'), sourceUser('asleep', {}, false)],
      groups: [sourceGroup('g1', 'Sales', ['new', 'asleep'])],
    };
    const result = plan(snapshot, { users: [], groups: [] });
    expect(result.groupOps).toEqual([
      { kind: 'createGroup', externalId: 'g1', displayName: 'Sales', memberExternalIds: ['new'] },
    ]);
  });

  it('renames, then changes members in chunks, never removing members it does not manage', () => {
    const snapshot = { users, groups: [sourceGroup('g1', 'Sales', ['u1', 'u2', 'u3'])] };
    const platform = {
      users: [...linkedUsers, platformUser('p-foreign', 'foreign', { userName: 'f@example.com' })],
      groups: [platformGroup('q1', 'g1', 'Old name', ['p-u1', 'p-u4', 'p-u5', 'p-foreign', 'q-nested'])],
    };
    const result = plan(snapshot, platform, { membersPerPatch: 1 });
    expect(result.groupOps).toEqual([
      {
        kind: 'updateGroup',
        externalId: 'g1',
        targetId: 'q1',
        displayName: 'Sales',
        changes: [{ path: 'displayName', from: 'Old name', to: 'Sales' }],
      },
      {
        kind: 'addMembers',
        externalId: 'g1',
        displayName: 'Sales',
        targetId: 'q1',
        memberExternalIds: ['u2'],
      },
      {
        kind: 'addMembers',
        externalId: 'g1',
        displayName: 'Sales',
        targetId: 'q1',
        memberExternalIds: ['u3'],
      },
      {
        kind: 'removeMembers',
        externalId: 'g1',
        displayName: 'Sales',
        targetId: 'q1',
        memberExternalIds: ['u4'],
      },
      {
        kind: 'removeMembers',
        externalId: 'g1',
        displayName: 'Sales',
        targetId: 'q1',
        memberExternalIds: ['u5'],
      },
    ]);
  });

  it('adopts a group by display name and counts an adopted user as a member', () => {
    const snapshot = { users: [sourceUser('u1')], groups: [sourceGroup('g1', 'Sales', ['u1'])] };
    const platform = {
      users: [platformUser('p1', undefined, { userName: 'u1@example.com' })],
      groups: [platformGroup('q1', undefined, 'Sales', ['p1'])],
    };
    expect(plan(snapshot, platform).groupOps).toEqual([
      {
        kind: 'updateGroup',
        externalId: 'g1',
        targetId: 'q1',
        displayName: 'Sales',
        changes: [{ path: 'externalId', to: 'g1' }],
        adoptedBy: 'displayName',
      },
    ]);
  });

  it('deletes managed groups that are no longer pushed, last, and leaves foreign groups alone', () => {
    const snapshot = {
      users: [],
      groups: [sourceGroup('g-new', 'New'), sourceGroup('g-unassigned', 'Unassigned')],
      assignments: { userIds: [], groupIds: ['g-new'] },
    };
    const platform = {
      users: [],
      groups: [
        platformGroup('q1', 'g-unassigned', 'Unassigned'),
        platformGroup('q2', 'g-deleted', 'Deleted'),
        platformGroup('q3', 'foreign', 'Foreign'),
        platformGroup('q4', undefined, 'Manual'),
      ],
    };
    const result = plan(snapshot, platform, { scope: { mode: 'assigned' } }, [], ['g-deleted']);
    expect(result.groupOps).toEqual([
      { kind: 'createGroup', externalId: 'g-new', displayName: 'New', memberExternalIds: [] },
      { kind: 'deleteGroup', externalId: 'g-deleted', targetId: 'q2' },
      { kind: 'deleteGroup', externalId: 'g-unassigned', targetId: 'q1' },
    ]);
    const skipping = plan(
      snapshot,
      platform,
      { scope: { mode: 'assigned' }, skipOutOfScopeDeletions: true },
      [],
      ['g-deleted'],
    );
    expect(skipping.groupOps.map((op) => op.externalId)).toEqual(['g-new', 'g-deleted']);
  });

  it('leaves a member alone that the platform lists twice in a group', () => {
    const bob = sourceUser('bob');
    const snapshot = { users: [ann, bob], groups: [sourceGroup('g1', 'Sales', ['ann', 'bob'])] };
    const platform = {
      users: [
        platformUser('pa', 'ann', annOnPlatform),
        platformUser('pb', 'bob', { userName: 'bob@example.com' }),
      ],
      groups: [platformGroup('q1', 'g1', 'Sales', ['pb', 'pa', 'pb', 'pa'])],
    };
    expect(plan(snapshot, platform).groupOps).toEqual([]);
  });

  it('does not remove a member it deletes anyway', () => {
    const snapshot = { users: [], groups: [sourceGroup('g1', 'Sales')] };
    const platform = {
      users: [platformUser('p1', 'gone', { userName: 'gone@example.com' })],
      groups: [platformGroup('q1', 'g1', 'Sales', ['p1'])],
    };
    const result = plan(snapshot, platform, { deprovision: 'delete' }, ['gone']);
    expect(result.userOps).toEqual([{ kind: 'deleteUser', externalId: 'gone', targetId: 'p1' }]);
    expect(result.groupOps).toEqual([]);
  });

  it('reports a group conflict and plans nothing for it', () => {
    const snapshot = { users: [], groups: [sourceGroup('g1', 'Sales')] };
    const platform = {
      users: [],
      groups: [platformGroup('q1', undefined, 'Sales'), platformGroup('q2', undefined, 'Sales')],
    };
    const result = plan(snapshot, platform);
    expect(result.groupOps).toEqual([]);
    expect(result.problems).toEqual([
      {
        objectType: 'group',
        externalId: 'g1',
        reason: 'conflict: 2 platform groups match by displayName Sales',
      },
    ]);
  });
});
