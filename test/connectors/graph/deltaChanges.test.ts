import { describe, expect, it } from 'vitest';
import { changesFromDelta } from '../../../connectors/graph/deltaChanges.js';

const USER = '#microsoft.graph.user';

describe('changesFromDelta', () => {
  it('keeps the latest item of an object that a delta round repeats', () => {
    const changes = changesFromDelta(
      [
        { id: 'u1', userPrincipalName: 'a@x', accountEnabled: true },
        { id: 'u2', '@removed': { reason: 'changed' } },
        { id: 'u1', userPrincipalName: 'a@x', accountEnabled: false },
        { id: 'u2', '@removed': { reason: 'deleted' } },
      ],
      [],
    );
    expect(changes.upsertedUsers).toEqual([
      { id: 'u1', active: false, attributes: { userPrincipalName: 'a@x', accountEnabled: false } },
    ]);
    expect(changes.removedUsers).toEqual([{ id: 'u2', kind: 'deleted' }]);
  });

  it('reads members@delta, ignores members that are neither users nor groups, and drops removed groups', () => {
    const changes = changesFromDelta(
      [],
      [
        {
          id: 'g1',
          'members@delta': [
            { '@odata.type': USER, id: 'u1' },
            { '@odata.type': USER, id: 'u2', '@removed': { reason: 'deleted' } },
            { '@odata.type': '#microsoft.graph.device', id: 'd1' },
          ],
        },
        { id: 'g2', displayName: 'Gone soon', 'members@delta': [{ '@odata.type': USER, id: 'u3' }] },
        { id: 'g2', '@removed': { reason: 'deleted' } },
      ],
    );
    expect(changes.membershipsAdded).toEqual([{ groupId: 'g1', memberId: 'u1' }]);
    expect(changes.membershipsRemoved).toEqual([{ groupId: 'g1', memberId: 'u2' }]);
    expect(changes.upsertedGroups).toEqual([]);
    expect(changes.removedGroupIds).toEqual(['g2']);
  });
});
