import { describe, expect, it } from 'vitest';
import { computeDesired } from '../../src/engine/desired.js';
import { indexPlatform, type Match, matchGroups, matchUsers } from '../../src/engine/match.js';
import type { MatchMethod } from '../../src/engine/settings.js';
import type { DirectorySnapshot } from '../../src/model/directory.js';
import type { PlatformGroup, PlatformState, PlatformUser } from '../../src/model/scim.js';
import { EMAIL, platformGroup, platformUser, settings, sourceGroup, sourceUser } from './fixtures.js';

function matchAll(
  snapshot: DirectorySnapshot,
  platform: PlatformState,
  matching: readonly MatchMethod[] = ['externalId', 'userName', 'email'],
  owned: readonly string[] = [],
) {
  const desired = computeDesired(snapshot, settings({ matching }));
  const subjectIds = [...desired.users.keys()];
  const matches = matchUsers({
    subjectIds,
    desired,
    index: indexPlatform(platform),
    matching,
    isManaged: (id) => desired.users.has(id) || owned.includes(id),
  });
  return shownById(subjectIds, matches);
}

/** The matches by subject id, as an operator would read them. */
function shownById(subjectIds: readonly string[], matches: readonly Match<PlatformUser | PlatformGroup>[]) {
  return Object.fromEntries(subjectIds.map((id, position) => [id, shown(matches[position]!)]));
}

function shown(match: Match<PlatformUser | PlatformGroup>): string {
  if (match.kind === 'linked') return `${match.target.id} by ${match.matchedBy}`;
  return match.kind === 'problem' ? match.reason : 'unmatched';
}

const ann = sourceUser('ann', { userName: 'ann@x.io', email: 'ann@x.io' });

describe('matchUsers', () => {
  it('links by externalId first, whatever the attributes say', () => {
    const platform = {
      users: [
        platformUser('p1', 'ann', { userName: 'other@x.io' }),
        platformUser('p2', undefined, { userName: 'ann@x.io' }),
      ],
      groups: [],
    };
    expect(matchAll({ users: [ann], groups: [] }, platform)).toEqual({ ann: 'p1 by externalId' });
  });

  it('adopts the one unlinked platform user with the same userName, case-insensitively', () => {
    const platform = { users: [platformUser('p1', undefined, { userName: 'ANN@x.io' })], groups: [] };
    expect(matchAll({ users: [ann], groups: [] }, platform)).toEqual({ ann: 'p1 by userName' });
  });

  it('tries the matching methods in order, and only those', () => {
    const platform = {
      users: [
        platformUser('p1', undefined, { userName: 'ann@x.io' }),
        platformUser('p2', undefined, { [EMAIL]: 'ANN@X.IO' }),
      ],
      groups: [],
    };
    expect(matchAll({ users: [ann], groups: [] }, platform, ['email', 'userName'])).toEqual({
      ann: 'p2 by email',
    });
    expect(matchAll({ users: [ann], groups: [] }, platform, ['externalId'])).toEqual({
      ann: 'userName taken by a platform user this tenant does not manage',
    });
  });

  it('never guesses between two candidates', () => {
    const platform = {
      users: [
        platformUser('p1', undefined, { [EMAIL]: 'ann@x.io' }),
        platformUser('p2', undefined, { [EMAIL]: 'Ann@x.io' }),
      ],
      groups: [],
    };
    expect(matchAll({ users: [ann], groups: [] }, platform, ['email'])).toEqual({
      ann: 'conflict: 2 platform users match by email ann@x.io',
    });
  });

  it('never hands one candidate to two source users', () => {
    const twin = sourceUser('twin', { userName: 'twin@x.io', email: 'ann@x.io' });
    const platform = { users: [platformUser('p1', undefined, { [EMAIL]: 'ann@x.io' })], groups: [] };
    expect(matchAll({ users: [ann, twin], groups: [] }, platform, ['email'])).toEqual({
      ann: 'conflict: 2 source users match one platform user by email ann@x.io',
      twin: 'conflict: 2 source users match one platform user by email ann@x.io',
    });
  });

  it('does not adopt a user that carries an externalId, and reports the userName as taken', () => {
    const platform = { users: [platformUser('p1', 'foreign-7', { userName: 'ann@x.io' })], groups: [] };
    expect(matchAll({ users: [ann], groups: [] }, platform)).toEqual({
      ann: 'userName taken by a platform user this tenant does not manage',
    });
  });

  it('names the managed user that holds a userName', () => {
    const platform = { users: [platformUser('p1', 'former', { userName: 'ann@x.io' }, false)], groups: [] };
    expect(matchAll({ users: [ann], groups: [] }, platform, undefined, ['former'])).toEqual({
      ann: 'userName taken by the platform user of source user former',
    });
  });

  it("names the source user that adopts the platform user holding a new user's userName", () => {
    // ann adopts p1 by email; bob would be created with the userName p1 still carries.
    const bob = sourceUser('bob', { userName: 'bob@x.io' });
    const platform = {
      users: [platformUser('p1', undefined, { userName: 'bob@x.io', [EMAIL]: 'ann@x.io' })],
      groups: [],
    };
    expect(matchAll({ users: [ann, bob], groups: [] }, platform, ['email'])).toEqual({
      ann: 'p1 by email',
      bob: 'userName taken by the platform user of source user ann',
    });
  });

  it('settles a conflict once another source user adopts one of the candidates, as a second run would', () => {
    // bob adopts p1 by userName; that leaves p2 as ann's only email candidate.
    const bob = sourceUser('bob', { userName: 'bob@x.io' });
    const platform = {
      users: [
        platformUser('p1', undefined, { userName: 'bob@x.io', [EMAIL]: 'ann@x.io' }),
        platformUser('p2', undefined, { [EMAIL]: 'ann@x.io' }),
      ],
      groups: [],
    };
    expect(matchAll({ users: [ann, bob], groups: [] }, platform, ['email', 'userName'])).toEqual({
      ann: 'p2 by email',
      bob: 'p1 by userName',
    });
  });

  it('does not adopt for users out of scope', () => {
    const snapshot = { users: [ann], groups: [], assignments: { userIds: [], groupIds: [] } };
    const desired = computeDesired(snapshot, settings({ scope: { mode: 'assigned' } }));
    const platform = { users: [platformUser('p1', undefined, { userName: 'ann@x.io' })], groups: [] };
    const matches = matchUsers({
      subjectIds: ['ann'],
      desired,
      index: indexPlatform(platform),
      matching: ['userName'],
      isManaged: () => false,
    });
    expect(matches).toEqual([{ kind: 'unmatched' }]);
  });

  it('reports two platform accounts with one externalId as a conflict instead of updating one of them', () => {
    const platform = {
      users: [
        platformUser('p1', 'ann', { userName: 'ann@x.io' }),
        platformUser('p2', 'ann', { userName: 'ann.copy@x.io' }),
      ],
      groups: [],
    };
    expect(matchAll({ users: [ann], groups: [] }, platform)).toEqual({
      ann: 'conflict: 2 platform users have externalId ann',
    });
  });

  it('adopts a platform account whose externalId is empty, as it would one without any', () => {
    const platform = { users: [platformUser('p1', '', { userName: 'ann@x.io' })], groups: [] };
    expect(matchAll({ users: [ann], groups: [] }, platform)).toEqual({ ann: 'p1 by userName' });
  });

  it('reports source users that would be created with the same userName', () => {
    const other = sourceUser('other', { userName: 'ANN@x.io' });
    expect(matchAll({ users: [ann, other], groups: [] }, { users: [], groups: [] })).toEqual({
      ann: 'conflict: 2 source users would be created with userName ann@x.io',
      other: 'conflict: 2 source users would be created with userName ann@x.io',
    });
  });
});

describe('matchGroups', () => {
  const snapshot = { users: [], groups: [sourceGroup('g1', 'Sales'), sourceGroup('g2', 'Support')] };
  const desired = computeDesired(snapshot, settings());

  it('links by externalId, then adopts by exact displayName among groups without one', () => {
    const platform = {
      users: [],
      groups: [
        platformGroup('q1', 'g1', 'Renamed'),
        platformGroup('q2', undefined, 'Support'),
        platformGroup('q3', undefined, 'Sales'),
      ],
    };
    const matches = matchGroups(['g1', 'g2'], desired, indexPlatform(platform));
    expect(shownById(['g1', 'g2'], matches)).toEqual({
      g1: 'q1 by externalId',
      g2: 'q2 by displayName',
    });
  });

  it('reports two groups with the same name as a conflict', () => {
    const platform = {
      users: [],
      groups: [
        platformGroup('q1', undefined, 'Support'),
        platformGroup('q2', undefined, 'Support'),
        platformGroup('q3', undefined, 'support'),
      ],
    };
    expect(shown(matchGroups(['g2'], desired, indexPlatform(platform))[0]!)).toBe(
      'conflict: 2 platform groups match by displayName Support',
    );
  });
});
