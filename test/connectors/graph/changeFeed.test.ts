import { describe, expect, it } from 'vitest';
import { mergeDelta } from '../../../connectors/graph/changeFeed.js';
import { groupsToRead } from '../../../connectors/graph/incrementalRead.js';
import { toDirectoryUser } from '../../../connectors/graph/mapping.js';
import type { DirectorySnapshot } from '../../../src/model/directory.js';

const USER = '#microsoft.graph.user';
const GROUP = '#microsoft.graph.group';

const alice = {
  id: 'u1',
  accountEnabled: true,
  userPrincipalName: 'alice@contoso.example',
  givenName: 'Alice',
  surname: 'Ng',
  displayName: 'Alice Ng',
  mail: 'alice@contoso.example',
  jobTitle: 'Engineer',
  department: 'R&D',
  onPremisesExtensionAttributes: { extensionAttribute1: 'CC-1', extensionAttribute2: 'Badge 7' },
};

const records: DirectorySnapshot = {
  users: [toDirectoryUser(alice), toDirectoryUser({ id: 'u2', userPrincipalName: 'bob@contoso.example' })],
  groups: [{ id: 'g1', displayName: 'Sales', attributes: { displayName: 'Sales' }, memberIds: ['u1', 'u2'] }],
};

function mergedUser(items: Record<string, unknown>[]) {
  const merge = mergeDelta(records, items, []);
  expect(merge.unknownUserIds).toEqual([]);
  return merge.changes.upsertedUsers[0];
}

describe('mergeDelta', () => {
  it('changes only the properties an item carries and keeps every other one', () => {
    expect(mergedUser([{ id: 'u1', jobTitle: 'Lead' }])).toEqual(
      toDirectoryUser({ ...alice, jobTitle: 'Lead' }),
    );
  });

  it('clears a property the item gives as null or empty', () => {
    const { jobTitle: _jobTitle, mail: _mail, ...rest } = alice;
    expect(mergedUser([{ id: 'u1', jobTitle: null, mail: '' }])).toEqual(toDirectoryUser(rest));
  });

  it('replaces a complex property whole, and clears all of it when it is null', () => {
    expect(
      mergedUser([
        {
          id: 'u1',
          onPremisesExtensionAttributes: { extensionAttribute1: 'CC-2', extensionAttribute2: null },
        },
      ])?.attributes,
    ).toMatchObject({ 'onPremisesExtensionAttributes.extensionAttribute1': 'CC-2' });
    const cleared = mergedUser([{ id: 'u1', onPremisesExtensionAttributes: null }])?.attributes ?? {};
    expect(Object.keys(cleared).filter((name) => name.startsWith('onPremises'))).toEqual([]);
    expect(cleared).toMatchObject({ userPrincipalName: 'alice@contoso.example', jobTitle: 'Engineer' });
  });

  it('deactivates on accountEnabled false and leaves the status alone when the item does not carry it', () => {
    expect(mergedUser([{ id: 'u1', accountEnabled: false }])?.active).toBe(false);
    expect(mergedUser([{ id: 'u1', department: 'Ops' }])?.active).toBe(true);
  });

  it('applies every item of an object a round repeats, in order', () => {
    expect(
      mergedUser([
        { id: 'u1', jobTitle: 'Lead' },
        { id: 'u1', department: 'Ops' },
        { id: 'u1', jobTitle: 'Principal' },
      ])?.attributes,
    ).toMatchObject({ jobTitle: 'Principal', department: 'Ops', mail: 'alice@contoso.example' });
  });

  it('names a user it holds no record of, or one restored within the round, for a read by id', () => {
    const merge = mergeDelta(
      records,
      [
        { id: 'u9', jobTitle: 'New' },
        { id: 'u2', '@removed': { reason: 'changed' } },
        { id: 'u2', accountEnabled: true },
        { id: 'u1', '@removed': { reason: 'deleted' } },
      ],
      [],
    );
    expect(merge.unknownUserIds).toEqual(['u9', 'u2']);
    expect(merge.changes.upsertedUsers).toEqual([]);
    expect(merge.changes.removedUsers).toEqual([{ id: 'u1', kind: 'deleted' }]);
  });

  it('keeps the members of a renamed group, and reads members@delta as changes only', () => {
    const merge = mergeDelta(
      records,
      [],
      [
        { id: 'g1', displayName: 'Sales EMEA' },
        {
          id: 'g1',
          'members@delta': [
            { '@odata.type': USER, id: 'u3' },
            { '@odata.type': USER, id: 'u2', '@removed': { reason: 'deleted' } },
            { '@odata.type': '#microsoft.graph.device', id: 'd1' },
          ],
        },
      ],
    );
    expect(merge.changes.upsertedGroups).toEqual([
      { id: 'g1', displayName: 'Sales EMEA', attributes: { displayName: 'Sales EMEA' } },
    ]);
    expect(merge.changes.membershipsAdded).toEqual([{ groupId: 'g1', memberId: 'u3' }]);
    expect(merge.changes.membershipsRemoved).toEqual([{ groupId: 'g1', memberId: 'u2' }]);
  });

  it('never takes a group it holds no record of from its item; names it, and unknown groups nested into known ones', () => {
    const merge = mergeDelta(
      records,
      [],
      [
        { id: 'g2', displayName: 'New', 'members@delta': [{ '@odata.type': USER, id: 'u1' }] },
        { id: 'g1', 'members@delta': [{ '@odata.type': GROUP, id: 'g3' }] },
        { id: 'g4', displayName: 'Gone soon' },
        { id: 'g4', '@removed': { reason: 'deleted' } },
      ],
    );
    expect(merge.changes.upsertedGroups).toEqual([]);
    expect(merge.changes.membershipsAdded).toEqual([{ groupId: 'g1', memberId: 'g3' }]);
    expect(merge.unknownGroupIds).toEqual(['g2']);
    expect(merge.nestedUnknownGroupIds).toEqual(['g3']);
    expect(merge.changes.removedGroupIds).toEqual(['g4']);
  });
});

describe('groupsToRead', () => {
  const merge = mergeDelta(
    records,
    [],
    [
      { id: 'g2', displayName: 'Out of scope' },
      { id: 'g1', 'members@delta': [{ '@odata.type': GROUP, id: 'g3' }] },
    ],
  );

  it('reads every group without a record when the records hold every group', () => {
    expect(groupsToRead(merge, records, true, []).sort()).toEqual(['g2', 'g3']);
  });

  it('otherwise reads only the groups that come into scope: nested into a recorded group, or assigned', () => {
    expect(groupsToRead(merge, records, false, ['g1', 'g5']).sort()).toEqual(['g3', 'g5']);
  });
});
