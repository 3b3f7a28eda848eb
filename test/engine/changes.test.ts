import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../src/engine/applyChanges.js';
import { changesBetween } from '../../src/engine/changes.js';
import { computeDesired } from '../../src/engine/desired.js';
import type { DirectoryChanges, DirectorySnapshot } from '../../src/model/directory.js';
import { settings, sourceGroup, sourceUser } from './fixtures.js';

const noChanges: DirectoryChanges = {
  upsertedUsers: [],
  removedUsers: [],
  upsertedGroups: [],
  removedGroupIds: [],
  membershipsAdded: [],
  membershipsRemoved: [],
};

const before: DirectorySnapshot = {
  users: [sourceUser('a'), sourceUser('b'), sourceUser('c')],
  groups: [sourceGroup('g1', 'Sales', ['a', 'b']), sourceGroup('g2', 'Support', ['c'])],
  assignments: { userIds: ['a'], groupIds: ['g1'] },
};

describe('applyChanges', () => {
  const changes: DirectoryChanges = {
    upsertedUsers: [sourceUser('b', { title: 'Lead' }), sourceUser('d')],
    removedUsers: [{ id: 'c', kind: 'deleted' }],
    upsertedGroups: [
      { id: 'g1', displayName: 'Sales EU', attributes: {} },
      { id: 'g3', displayName: 'New', attributes: {} },
    ],
    removedGroupIds: ['g2'],
    membershipsAdded: [
      { groupId: 'g1', memberId: 'd' },
      { groupId: 'g3', memberId: 'a' },
      { groupId: 'g-unknown', memberId: 'a' },
    ],
    membershipsRemoved: [{ groupId: 'g1', memberId: 'a' }],
    assignmentsAdded: { groupIds: ['g3'] },
    assignmentsRemoved: { userIds: ['a'] },
  };
  const after = applyChanges(before, changes);

  it('upserts and removes users and groups; upserted groups keep their members', () => {
    expect(after.users.map((user) => user.id)).toEqual(['a', 'b', 'd']);
    expect(after.users.find((user) => user.id === 'b')?.attributes.title).toBe('Lead');
    expect(after.groups).toEqual([
      { id: 'g1', displayName: 'Sales EU', attributes: {}, memberIds: ['b', 'd'] },
      { id: 'g3', displayName: 'New', attributes: {}, memberIds: ['a'] },
    ]);
    expect(after.assignments).toEqual({ userIds: [], groupIds: ['g1', 'g3'] });
  });

  it('is idempotent and leaves its input alone', () => {
    expect(applyChanges(after, changes)).toEqual(after);
    expect(before.groups[0]?.memberIds).toEqual(['a', 'b']);
  });

  it('replaces the assignment list when the source reads it whole', () => {
    const replaced = applyChanges(before, {
      ...noChanges,
      assignmentsReplaced: { userIds: ['b'], groupIds: [] },
    });
    expect(replaced.assignments).toEqual({ userIds: ['b'], groupIds: [] });
    expect(applyChanges({ users: [], groups: [] }, noChanges).assignments).toBeUndefined();
  });
});

describe('changesBetween', () => {
  const engineSettings = settings({ scope: { mode: 'assigned' } });

  it('finds nothing between equal states', () => {
    const desired = computeDesired(before, engineSettings);
    expect(changesBetween(desired, computeDesired(before, engineSettings))).toEqual({
      userIds: new Set(),
      groupIds: new Set(),
      membershipsAdded: [],
      membershipsRemoved: [],
    });
  });

  it('names changed, added and removed users, created, renamed and removed groups, and flattened pairs', () => {
    const next: DirectorySnapshot = {
      users: [sourceUser('a', { title: 'Boss' }), sourceUser('b'), sourceUser('c'), sourceUser('e')],
      groups: [
        sourceGroup('g1', 'Sales EU', ['b', 'g-nested']),
        sourceGroup('g-nested', 'Nested', ['c']),
        sourceGroup('g2', 'Support', ['e']),
      ],
      assignments: { userIds: ['a'], groupIds: ['g1', 'g2'] },
    };
    const changes = changesBetween(
      computeDesired(before, engineSettings),
      computeDesired(next, engineSettings),
    );
    // c and e come into scope; a changed its title and left g1 (still assigned directly).
    expect([...changes.userIds].sort()).toEqual(['a', 'c', 'e']);
    expect([...changes.groupIds].sort()).toEqual(['g1', 'g2']);
    expect(changes.membershipsAdded).toEqual([
      { groupId: 'g1', memberId: 'c' },
      { groupId: 'g2', memberId: 'e' },
    ]);
    expect(changes.membershipsRemoved).toEqual([{ groupId: 'g1', memberId: 'a' }]);
  });

  it('lists the members of a group that stopped being pushed as removed', () => {
    const unassigned = { ...before, assignments: { userIds: ['a', 'b'], groupIds: [] } };
    const changes = changesBetween(
      computeDesired(before, engineSettings),
      computeDesired(unassigned, engineSettings),
    );
    expect([...changes.groupIds]).toEqual(['g1']);
    expect(changes.membershipsRemoved).toEqual([
      { groupId: 'g1', memberId: 'a' },
      { groupId: 'g1', memberId: 'b' },
    ]);
    expect([...changes.userIds]).toEqual([]);
  });
});
