import { describe, expect, it } from 'vitest';
import { computeDesired } from '../../src/engine/desired.js';
import { focusOnSubjects } from '../../src/engine/focus.js';
import { planFocused } from '../../src/engine/plan.js';
import type { DirectorySnapshot } from '../../src/model/directory.js';
import type { PlatformState } from '../../src/model/scim.js';
import { owned, platformGroup, platformUser, settings, sourceGroup, sourceUser } from './fixtures.js';

const engineSettings = settings();
// Support holds Ada through a nested team: the desired state flattens it.
const snapshot: DirectorySnapshot = {
  users: [sourceUser('ada'), sourceUser('bo'), sourceUser('cy')],
  groups: [
    sourceGroup('g-support', 'Support team 5', ['g-tier1', 'bo']),
    sourceGroup('g-tier1', 'Tier 1', ['ada']),
    sourceGroup('g-sales', 'Sales', ['ada', 'cy']),
  ],
};
const desired = computeDesired(snapshot, engineSettings);

// Naming a group focuses its members' other memberships too: these list them already.
const otherGroups = [
  platformGroup('q-tier1', 'g-tier1', 'Tier 1', ['p-ada']),
  platformGroup('q-sales', 'g-sales', 'Sales', ['p-cy', 'p-ada']),
];

const users = [
  platformUser('p-ada', 'ada', { userName: 'ada@example.com' }),
  platformUser('p-bo', 'bo', { userName: 'bo@example.com' }),
  platformUser('p-cy', 'cy', { userName: 'cy@example.com' }),
];

function planOnDemand(platform: PlatformState, subjects: { userIds?: string[]; groupIds?: string[] }) {
  return planFocused({
    desired,
    platform,
    owned: owned(['ada', 'bo', 'cy'], ['g-support', 'g-tier1', 'g-sales']),
    settings: engineSettings,
    focus: focusOnSubjects(desired, { userIds: subjects.userIds ?? [], groupIds: subjects.groupIds ?? [] }),
  });
}

describe('on-demand planning of memberships the platform already lists', () => {
  it('plans nothing for an in-sync user whose groups, nested ones included, list it already', () => {
    const platform = {
      users,
      groups: [
        platformGroup('q-support', 'g-support', 'Support team 5', ['p-ada', 'p-bo']),
        platformGroup('q-tier1', 'g-tier1', 'Tier 1', ['p-ada']),
        platformGroup('q-sales', 'g-sales', 'Sales', ['p-cy', 'p-ada']),
      ],
    };
    const result = planOnDemand(platform, { userIds: ['ada'] });
    expect(result.userOps).toEqual([]);
    expect(result.groupOps).toEqual([]);
    expect(result.userTraces.map((trace) => trace.action)).toEqual(['none']);
  });

  it('adds the user only to the groups that lack it, the op naming the group', () => {
    const platform = {
      users,
      groups: [
        platformGroup('q-support', 'g-support', 'Support team 5', ['p-ada', 'p-bo']),
        platformGroup('q-tier1', 'g-tier1', 'Tier 1', ['p-ada']),
        platformGroup('q-sales', 'g-sales', 'Sales', ['p-cy']),
      ],
    };
    expect(planOnDemand(platform, { userIds: ['ada'] }).groupOps).toEqual([
      {
        kind: 'addMembers',
        externalId: 'g-sales',
        displayName: 'Sales',
        targetId: 'q-sales',
        memberExternalIds: ['ada'],
      },
    ]);
  });

  it('plans nothing, and traces none, for a named group whose members are all in place', () => {
    const platform = {
      users,
      groups: [platformGroup('q-support', 'g-support', 'Support team 5', ['p-bo', 'p-ada']), ...otherGroups],
    };
    const result = planOnDemand(platform, { groupIds: ['g-support'] });
    expect(result.userOps).toEqual([]);
    expect(result.groupOps).toEqual([]);
    expect(result.groupTraces).toEqual([
      expect.objectContaining({
        externalId: 'g-support',
        action: 'none',
        membersAdded: 0,
        membersRemoved: 0,
      }),
    ]);
  });

  it('gives a named group just its missing members and takes its stale ones, both ops named', () => {
    const platform = {
      users,
      groups: [platformGroup('q-support', 'g-support', 'Support team 5', ['p-bo', 'p-cy']), ...otherGroups],
    };
    const result = planOnDemand(platform, { groupIds: ['g-support'] });
    expect(result.groupOps).toEqual([
      {
        kind: 'addMembers',
        externalId: 'g-support',
        displayName: 'Support team 5',
        targetId: 'q-support',
        memberExternalIds: ['ada'],
      },
      {
        kind: 'removeMembers',
        externalId: 'g-support',
        displayName: 'Support team 5',
        targetId: 'q-support',
        memberExternalIds: ['cy'],
      },
    ]);
    expect(result.groupTraces[0]).toMatchObject({ action: 'addMembers', membersAdded: 1, membersRemoved: 1 });
  });

  it('still adds a member whose platform account it cannot tell from the group read', () => {
    // Only Ada's account is read: the group's other member ids name no user the plan knows.
    const platform = {
      users: [users[0]!],
      groups: [platformGroup('q-sales', 'g-sales', 'Sales', ['p-someone'])],
    };
    expect(planOnDemand(platform, { userIds: ['ada'] }).groupOps).toContainEqual(
      expect.objectContaining({ kind: 'addMembers', externalId: 'g-sales', memberExternalIds: ['ada'] }),
    );
  });
});
