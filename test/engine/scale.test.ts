import { describe, expect, it } from 'vitest';
import { changesBetween } from '../../src/engine/changes.js';
import { computeDesired } from '../../src/engine/desired.js';
import { planFocused, planFull } from '../../src/engine/plan.js';
import type { DirectoryGroup, DirectorySnapshot, DirectoryUser } from '../../src/model/directory.js';
import type { PlatformGroup, PlatformState, PlatformUser } from '../../src/model/scim.js';
import { owned, settings } from './fixtures.js';

/** A deterministic directory of the given size: flat groups with a few nested ones, half of it on the platform. */
function largeWorld(userCount: number, groupCount: number, membershipCount: number) {
  let seed = 42;
  const random = (below: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % below;
  };
  const users: DirectoryUser[] = Array.from({ length: userCount }, (_, index) => ({
    id: `user-${index}`,
    active: index % 50 !== 0,
    attributes: {
      userName: `user${index}@example.com`,
      email: `user${index}@example.com`,
      givenName: `Given${index}`,
      familyName: `Family${index}`,
      department: ['Sales', 'Support', 'Engineering'][index % 3] ?? '',
      title: index % 7 === 0 ? 'Lead' : 'Engineer',
    },
  }));
  const perGroup = Math.floor(membershipCount / groupCount);
  const groups: DirectoryGroup[] = Array.from({ length: groupCount }, (_, index) => {
    const memberIds = Array.from({ length: perGroup }, () => `user-${random(userCount)}`);
    if (index % 10 === 0 && index + 1 < groupCount) memberIds.push(`group-${index + 1}`);
    return { id: `group-${index}`, displayName: `Group ${index}`, attributes: {}, memberIds };
  });
  const snapshot: DirectorySnapshot = { users, groups };
  const platformUsers: PlatformUser[] = users
    .filter((_, index) => index % 2 === 0)
    .map((user, index) => ({
      id: `p-${user.id}`,
      externalId: user.id,
      active: true,
      attributes: {
        userName: String(user.attributes.userName),
        title: index % 5 === 0 ? 'Drifted' : String(user.attributes.title),
      },
    }));
  const platformGroups: PlatformGroup[] = groups
    .filter((_, index) => index % 2 === 0)
    .map((group) => ({
      id: `q-${group.id}`,
      externalId: group.id,
      displayName: group.displayName,
      memberIds: group.memberIds.filter((_, index) => index % 3 !== 0).map((id) => `p-${id}`),
    }));
  const platform: PlatformState = { users: platformUsers, groups: platformGroups };
  return { snapshot, platform };
}

describe('planning at scale', () => {
  it('plans 20k users, 2k groups and 200k memberships (catches accidental quadratic code)', () => {
    const { snapshot, platform } = largeWorld(20_000, 2_000, 200_000);
    const engineSettings = settings({ scope: { mode: 'groups', groups: ['Group 0', 'group-1', 'Group 2'] } });
    const all = settings();
    const desired = computeDesired(snapshot, all);
    const plan = planFull({ desired, platform, owned: owned(), settings: all });
    expect(plan.userOps.length).toBeGreaterThan(10_000);
    expect(plan.groupOps.length).toBeGreaterThan(1_000);

    const narrowed = computeDesired(snapshot, engineSettings);
    const changes = changesBetween(desired, narrowed);
    expect(changes.membershipsRemoved.length).toBeGreaterThan(100_000);
    const focused = planFocused({
      desired: narrowed,
      platform,
      owned: owned(),
      settings: engineSettings,
      focus: changes,
    });
    expect(focused.userOps.length).toBeGreaterThan(5_000);
  });
});
