import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../src/engine/applyChanges.js';
import { unknownGroupReferences } from '../../src/engine/completeness.js';
import type { DirectoryChanges, DirectorySnapshot } from '../../src/model/directory.js';
import { sourceGroup, sourceUser } from './fixtures.js';

const previous: DirectorySnapshot = {
  users: [sourceUser('ann'), sourceUser('bob')],
  groups: [sourceGroup('g-sales', 'Sales', ['ann'])],
  assignments: { userIds: [], groupIds: ['g-sales'] },
};

const noChanges: DirectoryChanges = {
  upsertedUsers: [],
  removedUsers: [],
  upsertedGroups: [],
  removedGroupIds: [],
  membershipsAdded: [],
  membershipsRemoved: [],
};

/** The group ids that send an incremental run back to a full read. */
const needsFullRead = (changes: Partial<DirectoryChanges>): string[] => {
  const all = { ...noChanges, ...changes };
  return unknownGroupReferences(applyChanges(previous, all), all);
};

describe('unknownGroupReferences', () => {
  it('lets an incremental run go on when its changes name only users and groups already read', () => {
    expect(
      needsFullRead({
        upsertedUsers: [sourceUser('cyd')],
        membershipsAdded: [
          { groupId: 'g-sales', memberId: 'bob' },
          { groupId: 'g-sales', memberId: 'cyd' },
        ],
      }),
    ).toEqual([]);
  });

  it('names a group assigned to the app that no read included: its members are unknown', () => {
    expect(needsFullRead({ assignmentsAdded: { groupIds: ['g-new'] } })).toEqual(['g-new']);
  });

  it('names a group nested into a known group that no read included', () => {
    expect(needsFullRead({ membershipsAdded: [{ groupId: 'g-sales', memberId: 'g-nested' }] })).toEqual([
      'g-nested',
    ]);
  });

  it('names a group once, however many changes refer to it', () => {
    expect(
      needsFullRead({
        assignmentsAdded: { groupIds: ['g-new'] },
        membershipsAdded: [{ groupId: 'g-sales', memberId: 'g-new' }],
      }),
    ).toEqual(['g-new']);
  });

  it('reads a snapshot without app assignments (scope all or groups) as assigning no group', () => {
    const { assignments: _, ...unassigned } = previous;
    expect(unknownGroupReferences(unassigned, noChanges)).toEqual([]);
    expect(
      unknownGroupReferences(unassigned, {
        ...noChanges,
        membershipsAdded: [{ groupId: 'g-sales', memberId: 'g-new' }],
      }),
    ).toEqual(['g-new']);
  });
});
