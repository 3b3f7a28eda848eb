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

/**
 * Counts the reads of the elements of the arrays it wraps. Linear planning reads each input
 * element a bounded number of times, whatever the directory's size; code that scans an input
 * list once per user or group reads it in proportion to the size, and shows up as a ratio.
 */
function readCounter() {
  let reads = 0;
  const handler: ProxyHandler<readonly unknown[]> = {
    get(target, key, receiver) {
      if (typeof key === 'string' && key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57) reads++;
      return Reflect.get(target, key, receiver);
    },
  };
  const wrap = <T>(items: readonly T[]): T[] => new Proxy(items, handler) as T[];
  return { wrap, reads: () => reads };
}

/** Plans a full run, then the focused run of a scope narrowed to three groups; returns the plans and the reads per input element. */
function planAtSize(userCount: number) {
  const { snapshot, platform } = largeWorld(userCount, userCount / 10, userCount * 10);
  const counter = readCounter();
  const countedSnapshot: DirectorySnapshot = {
    users: counter.wrap(snapshot.users),
    groups: counter.wrap(
      snapshot.groups.map((group) => ({ ...group, memberIds: counter.wrap(group.memberIds) })),
    ),
  };
  const countedPlatform: PlatformState = {
    users: counter.wrap(platform.users),
    groups: counter.wrap(
      platform.groups.map((group) => ({ ...group, memberIds: counter.wrap(group.memberIds) })),
    ),
  };
  const elements =
    snapshot.users.length +
    platform.users.length +
    [...snapshot.groups, ...platform.groups].reduce((sum, group) => sum + 1 + group.memberIds.length, 0);

  const all = settings();
  const desired = computeDesired(countedSnapshot, all);
  const full = planFull({ desired, platform: countedPlatform, owned: owned(), settings: all });
  const narrowedSettings = settings({ scope: { mode: 'groups', groups: ['Group 0', 'group-1', 'Group 2'] } });
  const narrowed = computeDesired(countedSnapshot, narrowedSettings);
  const changes = changesBetween(desired, narrowed);
  const focused = planFocused({
    desired: narrowed,
    platform: countedPlatform,
    owned: owned(),
    settings: narrowedSettings,
    focus: changes,
  });
  return { full, changes, focused, readsPerElement: counter.reads() / elements };
}

describe('planning at scale', () => {
  it('plans 20k users, 2k groups and 200k memberships reading each input element as often as at a quarter of the size', () => {
    const large = planAtSize(20_000);
    expect(large.full.userOps.length).toBeGreaterThan(10_000);
    expect(large.full.groupOps.length).toBeGreaterThan(1_000);
    expect(large.changes.membershipsRemoved.length).toBeGreaterThan(100_000);
    expect(large.focused.userOps.length).toBeGreaterThan(5_000);

    const small = planAtSize(5_000);
    // Linear code gives a ratio near 1; one scan of an input list per object gives about 4.
    expect(large.readsPerElement / small.readsPerElement).toBeLessThan(1.5);
    expect(large.readsPerElement).toBeLessThan(10);
  });
});
