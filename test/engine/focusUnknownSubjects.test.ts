import { describe, expect, it } from 'vitest';
import { computeDesired } from '../../src/engine/desired.js';
import { focusOnSubjects, platformQueriesFor } from '../../src/engine/focus.js';
import { settings, sourceGroup, sourceUser } from './fixtures.js';

// Only Sales is pushed: Other is a source group the scope leaves out.
const scoped = settings({ scope: { mode: 'groups', groups: ['Sales'] } });
const desired = computeDesired(
  {
    users: [sourceUser('a'), sourceUser('z')],
    groups: [sourceGroup('g-sales', 'Sales', ['a']), sourceGroup('g-other', 'Other', ['a', 'z'])],
  },
  scoped,
);

describe('a focus on subjects the desired state does not hold', () => {
  it('names a group the scope does not push, without pulling in its members', () => {
    const focus = focusOnSubjects(desired, { userIds: [], groupIds: ['g-other'] });
    expect([...focus.groupIds]).toEqual(['g-other']);
    expect([...focus.userIds]).toEqual([]);
    expect(focus.membershipsAdded).toEqual([]);
    expect(platformQueriesFor(desired, focus)).toEqual({
      users: { externalIds: [], userNames: [] },
      groups: { externalIds: ['g-other'], displayNames: [] },
    });
  });

  it('reads the group of a pair whose member has left the source, and no account for it', () => {
    const queries = platformQueriesFor(desired, {
      userIds: new Set(),
      groupIds: new Set(),
      membershipsAdded: [{ groupId: 'g-sales', memberId: 'gone' }],
      membershipsRemoved: [],
    });
    expect(queries).toEqual({
      users: { externalIds: [], userNames: [] },
      groups: { externalIds: ['g-sales'], displayNames: [] },
    });
  });
});
