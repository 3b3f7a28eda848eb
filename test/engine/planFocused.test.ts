import { describe, expect, it } from 'vitest';
import { computeDesired } from '../../src/engine/desired.js';
import { emailsToLookUp, type Focus, focusOnSubjects, platformQueriesFor } from '../../src/engine/focus.js';
import { planFocused } from '../../src/engine/plan.js';
import type { EngineSettings } from '../../src/engine/settings.js';
import type { DirectorySnapshot } from '../../src/model/directory.js';
import type { PlatformState } from '../../src/model/scim.js';
import { EMAIL, owned, platformGroup, platformUser, settings, sourceGroup, sourceUser } from './fixtures.js';

const snapshot: DirectorySnapshot = {
  users: [sourceUser('a'), sourceUser('b'), sourceUser('c', {}, false), sourceUser('d')],
  groups: [sourceGroup('g1', 'Sales', ['a', 'b', 'c', 'd']), sourceGroup('g2', 'Support', ['a'])],
};

function focus(
  parts: Partial<{
    users: string[];
    groups: string[];
    added: [string, string][];
    removed: [string, string][];
  }>,
): Focus {
  const pairs = (list: [string, string][] = []) => list.map(([groupId, memberId]) => ({ groupId, memberId }));
  return {
    userIds: new Set(parts.users),
    groupIds: new Set(parts.groups),
    membershipsAdded: pairs(parts.added),
    membershipsRemoved: pairs(parts.removed),
  };
}

function plan(
  platform: PlatformState,
  scope: Focus,
  ownedUsers: readonly string[] = [],
  overrides: Partial<EngineSettings> = {},
) {
  const engineSettings = settings(overrides);
  return planFocused({
    desired: computeDesired(snapshot, engineSettings),
    platform,
    owned: owned(ownedUsers),
    settings: engineSettings,
    focus: scope,
  });
}

describe('planFocused', () => {
  it('plans only the users in focus, exactly as a full run would', () => {
    const platform = { users: [platformUser('pa', 'a', { userName: 'old@example.com' })], groups: [] };
    const result = plan(platform, focus({ users: ['a', 'b'] }));
    expect(result.userOps).toEqual([
      expect.objectContaining({
        kind: 'updateUser',
        externalId: 'a',
        changes: [{ path: 'userName', from: 'old@example.com', to: 'a@example.com' }],
      }),
      expect.objectContaining({ kind: 'createUser', externalId: 'b' }),
    ]);
  });

  it('never deprovisions what the narrowed platform state holds outside the focus', () => {
    const platform = {
      users: [
        platformUser('p1', 'gone', { userName: 'gone@example.com' }),
        platformUser('p2', 'a', { userName: 'a@example.com' }),
      ],
      groups: [platformGroup('q1', 'g-gone', 'Gone')],
    };
    const result = plan(platform, focus({ users: ['a'] }), ['gone']);
    expect(result.userOps).toEqual([]);
    expect(result.groupOps).toEqual([]);
    const focused = plan(platform, focus({ users: ['gone'] }), ['gone']);
    expect(focused.userOps).toEqual([{ kind: 'deactivateUser', externalId: 'gone', targetId: 'p1' }]);
  });

  it('turns membership pairs into coalesced, chunked member ops, dropping pairs the desired state contradicts', () => {
    const platform = { users: [], groups: [platformGroup('q1', 'g1', 'Sales')] };
    const result = plan(
      platform,
      focus({
        added: [
          ['g1', 'a'],
          ['g1', 'b'],
          ['g1', 'd'],
          ['g2', 'b'],
          ['g-unpushed', 'a'],
        ],
        removed: [
          ['g1', 'gone'],
          ['g1', 'a'],
          ['g2', 'x'],
        ],
      }),
      [],
      { membersPerPatch: 2 },
    );
    expect(result.groupOps).toEqual([
      {
        kind: 'addMembers',
        externalId: 'g1',
        displayName: 'Sales',
        targetId: 'q1',
        memberExternalIds: ['a', 'b'],
      },
      {
        kind: 'addMembers',
        externalId: 'g1',
        displayName: 'Sales',
        memberExternalIds: ['d'],
        targetId: 'q1',
      },
      {
        kind: 'removeMembers',
        externalId: 'g1',
        displayName: 'Sales',
        targetId: 'q1',
        memberExternalIds: ['gone'],
      },
      { kind: 'removeMembers', externalId: 'g2', displayName: 'Support', memberExternalIds: ['x'] },
    ]);
  });

  it('adds a user it creates to the pushed groups that hold it', () => {
    const result = plan({ users: [], groups: [] }, focus({ users: ['a'] }));
    expect(result.userOps.map((op) => op.kind)).toEqual(['createUser']);
    expect(result.groupOps).toEqual([
      { kind: 'addMembers', externalId: 'g1', displayName: 'Sales', memberExternalIds: ['a'] },
      { kind: 'addMembers', externalId: 'g2', displayName: 'Support', memberExternalIds: ['a'] },
    ]);
  });

  it('adds a user it adopts by userName to the pushed groups that hold it', () => {
    const platform = { users: [platformUser('pa', undefined, { userName: 'A@example.com' })], groups: [] };
    const result = plan(platform, focus({ users: ['a'] }));
    expect(result.userOps).toEqual([
      expect.objectContaining({ kind: 'updateUser', externalId: 'a', targetId: 'pa', adoptedBy: 'userName' }),
    ]);
    expect(result.groupOps).toEqual([
      { kind: 'addMembers', externalId: 'g1', displayName: 'Sales', memberExternalIds: ['a'] },
      { kind: 'addMembers', externalId: 'g2', displayName: 'Support', memberExternalIds: ['a'] },
    ]);
  });

  it('leaves alone the members of a synced group that the tenant does not manage', () => {
    // Sales is renamed at the source; on the platform it also holds a local admin and a
    // managed user gone from the source. Only the managed one is removed.
    const platform = {
      users: [
        platformUser('pa', 'a', { userName: 'a@example.com' }),
        platformUser('p-admin', 'local-admin', { userName: 'admin@example.com' }),
        platformUser('p-gone', 'gone', { userName: 'gone@example.com' }, false),
      ],
      groups: [platformGroup('q1', 'g1', 'Sales (old name)', ['pa', 'p-admin', 'p-gone'])],
    };
    const result = plan(platform, focus({ groups: ['g1'] }), ['a', 'gone']);
    expect(result.groupOps.filter((op) => op.kind === 'removeMembers')).toEqual([
      {
        kind: 'removeMembers',
        externalId: 'g1',
        displayName: 'Sales',
        targetId: 'q1',
        memberExternalIds: ['gone'],
      },
    ]);
  });

  it('traces a deactivation with the active change it makes', () => {
    const platform = { users: [platformUser('p1', 'gone', { userName: 'gone@example.com' })], groups: [] };
    const result = plan(platform, focus({ users: ['gone'] }), ['gone']);
    expect(result.userOps).toEqual([{ kind: 'deactivateUser', externalId: 'gone', targetId: 'p1' }]);
    expect(result.userTraces).toEqual([
      expect.objectContaining({
        externalId: 'gone',
        action: 'deactivateUser',
        changes: [{ path: 'active', from: true, to: false }],
      }),
    ]);
  });

  it('sends no member op when a user already on the platform changes', () => {
    const platform = {
      users: [platformUser('pa', 'a', { userName: 'old@example.com' })],
      groups: [platformGroup('q1', 'g1', 'Sales', ['pa']), platformGroup('q2', 'g2', 'Support', ['pa'])],
    };
    const result = plan(platform, focus({ users: ['a'] }), ['a']);
    expect(result.userOps.map((op) => op.kind)).toEqual(['updateUser']);
    expect(result.groupOps).toEqual([]);
  });

  it('does not add an inactive user without an account', () => {
    const result = plan({ users: [], groups: [] }, focus({ users: ['c'], added: [['g1', 'c']] }));
    expect(result.userOps).toEqual([]);
    expect(result.groupOps).toEqual([]);
  });

  it('creates a focused group with its members instead of replaying its pairs', () => {
    const result = plan({ users: [], groups: [] }, focus({ groups: ['g2'], added: [['g2', 'a']] }));
    expect(result.groupOps).toEqual([
      { kind: 'createGroup', externalId: 'g2', displayName: 'Support', memberExternalIds: ['a'] },
    ]);
  });

  it('adds an inactive member named by a change only when the platform has its account', () => {
    const sales = platformGroup('q1', 'g1', 'Sales');
    const withoutAccount = plan({ users: [], groups: [sales] }, focus({ added: [['g1', 'c']] }));
    expect(withoutAccount.groupOps).toEqual([]);
    const account = platformUser('pc', 'c', { userName: 'c@example.com' }, false);
    const withAccount = plan({ users: [account], groups: [sales] }, focus({ added: [['g1', 'c']] }), ['c']);
    expect(withAccount.groupOps).toEqual([
      {
        kind: 'addMembers',
        externalId: 'g1',
        displayName: 'Sales',
        targetId: 'q1',
        memberExternalIds: ['c'],
      },
    ]);
  });

  it('gives a group it adopts by name every desired member it lacks, as a full run would', () => {
    const platform = {
      users: [platformUser('pa', 'a', { userName: 'a@example.com' })],
      groups: [platformGroup('q2', undefined, 'Support')],
    };
    const result = plan(platform, focus({ groups: ['g2'] }), ['a']);
    expect(result.groupOps).toEqual([
      expect.objectContaining({
        kind: 'updateGroup',
        externalId: 'g2',
        targetId: 'q2',
        adoptedBy: 'displayName',
      }),
      {
        kind: 'addMembers',
        externalId: 'g2',
        displayName: 'Support',
        targetId: 'q2',
        memberExternalIds: ['a'],
      },
    ]);
  });

  it('decides nothing for a user that is neither in the source nor on the platform', () => {
    const result = plan({ users: [], groups: [] }, focus({ users: ['gone'], groups: ['g-gone'] }), ['gone']);
    expect(result.userOps).toEqual([]);
    expect(result.userTraces).toEqual([]);
    expect(result.groupTraces).toEqual([]);
  });

  it('returns a trace per focused object for on-demand provisioning', () => {
    const platform = { users: [platformUser('pa', undefined, { userName: 'A@example.com' })], groups: [] };
    const result = plan(platform, focus({ users: ['a', 'c'], groups: ['g2'] }));
    expect(result.userTraces).toEqual([
      {
        externalId: 'a',
        inScope: true,
        reason: 'all users are in scope',
        matchedBy: 'userName',
        targetId: 'pa',
        action: 'updateUser',
        changes: [
          { path: 'externalId', to: 'a' },
          { path: 'userName', from: 'A@example.com', to: 'a@example.com' },
        ],
      },
      {
        externalId: 'c',
        inScope: true,
        reason: 'all users are in scope (disabled in the source)',
        action: 'none',
        changes: [],
        detail: 'inactive in the source and no platform account',
      },
    ]);
    expect(result.groupTraces).toEqual([
      expect.objectContaining({ externalId: 'g2', pushed: true, action: 'createGroup', membersAdded: 1 }),
    ]);
  });

  it('estimates the managed user count from what the tenant owns, unless the shell knows it', () => {
    expect(plan({ users: [], groups: [] }, focus({}), ['a', 'b', 'gone']).managedUserCount).toBe(2);
    const engineSettings = settings();
    const known = planFocused({
      desired: computeDesired(snapshot, engineSettings),
      platform: { users: [], groups: [] },
      owned: owned(),
      settings: engineSettings,
      focus: focus({}),
      managedUserCount: 40,
    });
    expect(known.managedUserCount).toBe(40);
    // Linked platform users the tenant did not record as its own still count as managed.
    const linked = {
      users: [
        platformUser('pa', 'a', { userName: 'a@example.com' }),
        platformUser('pb', 'b', { userName: 'b@example.com' }),
      ],
      groups: [],
    };
    expect(plan(linked, focus({ users: ['a', 'b'] })).managedUserCount).toBe(2);
    // Users it is about to create are not managed yet.
    expect(plan({ users: [], groups: [] }, focus({ users: ['a', 'b'] })).managedUserCount).toBe(0);
  });
});

describe('on-demand traces', () => {
  const onlyA = { filters: [{ attribute: 'userName', op: 'startsWith' as const, value: 'a@' }] };

  it('say why a user gets no op', () => {
    const platform = {
      users: [
        platformUser('pa', 'a', { userName: 'a@example.com' }),
        platformUser('pb', 'b', { userName: 'b@example.com' }, false),
        platformUser('pd', 'd', { userName: 'd@example.com' }),
      ],
      groups: [],
    };
    const traces = plan(platform, focus({ users: ['a', 'b'] }), ['a', 'b'], onlyA).userTraces;
    expect(traces.map(({ externalId, action, detail }) => ({ externalId, action, detail }))).toEqual([
      { externalId: 'a', action: 'none', detail: 'already up to date' },
      { externalId: 'b', action: 'none', detail: 'already inactive on the platform' },
    ]);
    const leftAlone = plan(platform, focus({ users: ['d'] }), ['d'], {
      ...onlyA,
      skipOutOfScopeDeletions: true,
    });
    expect(leftAlone.userOps).toEqual([]);
    expect(leftAlone.userTraces).toEqual([
      expect.objectContaining({
        externalId: 'd',
        inScope: false,
        action: 'none',
        detail: 'out of scope; left alone (skipOutOfScopeDeletions)',
      }),
    ]);
  });

  it('count the members a group gains and loses, and name its first op', () => {
    const platform = {
      users: [
        platformUser('pa', 'a', { userName: 'a@example.com' }),
        platformUser('pb', 'b', { userName: 'b@example.com' }),
        platformUser('px', 'gone', { userName: 'gone@example.com' }),
      ],
      groups: [platformGroup('q1', 'g1', 'Sales', ['px'])],
    };
    const result = plan(
      platform,
      focus({
        groups: ['g1'],
        added: [
          ['g1', 'a'],
          ['g1', 'b'],
        ],
      }),
      ['a', 'b', 'gone'],
    );
    expect(result.groupTraces).toEqual([
      {
        externalId: 'g1',
        pushed: true,
        matchedBy: 'externalId',
        targetId: 'q1',
        action: 'addMembers',
        changes: [],
        membersAdded: 2,
        membersRemoved: 1,
      },
    ]);
  });

  it('say what happens to an owned group the scope no longer pushes', () => {
    const platform = { users: [], groups: [platformGroup('q9', 'g-old', 'Old team')] };
    // A platform group this tenant never owned is not its to delete.
    expect(plan(platform, focus({ groups: ['g-old'] })).groupTraces).toEqual([]);
    const engineSettings = settings();
    const withOld: DirectorySnapshot = {
      ...snapshot,
      groups: [...snapshot.groups, sourceGroup('g-old', 'Old team')],
    };
    const notPushed = settings({ scope: { mode: 'groups', groups: ['Sales'] } });
    const decide = (overrides: Partial<EngineSettings>) =>
      planFocused({
        desired: computeDesired(withOld, { ...notPushed, ...overrides }),
        platform,
        owned: owned([], ['g-old']),
        settings: { ...engineSettings, ...notPushed, ...overrides },
        focus: focus({ groups: ['g-old'] }),
      });
    expect(decide({}).groupOps).toEqual([{ kind: 'deleteGroup', externalId: 'g-old', targetId: 'q9' }]);
    expect(decide({}).groupTraces).toEqual([
      expect.objectContaining({ pushed: false, action: 'deleteGroup' }),
    ]);
    const kept = decide({ skipOutOfScopeDeletions: true });
    expect(kept.groupOps).toEqual([]);
    expect(kept.groupTraces).toEqual([
      expect.objectContaining({
        action: 'none',
        detail: 'out of scope; left alone (skipOutOfScopeDeletions)',
      }),
    ]);
  });
});

describe('focusOnSubjects', () => {
  it('takes the named users, the members of named groups, and their pushed-group memberships', () => {
    const desired = computeDesired(snapshot, settings());
    const subjects = focusOnSubjects(desired, { userIds: ['d'], groupIds: ['g2'] });
    expect([...subjects.userIds].sort()).toEqual(['a', 'd']);
    expect([...subjects.groupIds]).toEqual(['g2']);
    expect(subjects.membershipsRemoved).toEqual([]);
    expect(subjects.membershipsAdded).toEqual([
      { groupId: 'g1', memberId: 'a' },
      { groupId: 'g1', memberId: 'd' },
      { groupId: 'g2', memberId: 'a' },
    ]);
  });

  it('takes a named group the source no longer pushes as it is, bringing no members', () => {
    const desired = computeDesired(snapshot, settings());
    const subjects = focusOnSubjects(desired, { userIds: [], groupIds: ['g-gone'] });
    expect([...subjects.userIds]).toEqual([]);
    expect([...subjects.groupIds]).toEqual(['g-gone']);
    expect(subjects.membershipsAdded).toEqual([]);
  });
});

describe('platformQueriesFor', () => {
  it('asks the platform for the accounts and groups an incremental run may adopt, so it does not duplicate them', () => {
    const withEmail: DirectorySnapshot = {
      users: [sourceUser('e', { email: 'Eve@example.com' }), sourceUser('f', { email: 'Fay@example.com' })],
      groups: [sourceGroup('g3', 'Finance', ['e']), sourceGroup('g4', 'Legal', ['f'])],
    };
    const desired = computeDesired(withEmail, settings());
    const queries = platformQueriesFor(desired, focus({ users: ['f', 'e'], groups: ['g4', 'g3'] }));
    // Sorted, so that the same changes always send the same requests.
    // Emails wait for the second round: most changed users have an account, found by externalId.
    expect(queries.users).toEqual({ externalIds: ['e', 'f'], userNames: ['e@example.com', 'f@example.com'] });
    expect(queries.groups).toEqual({ externalIds: ['g3', 'g4'], displayNames: ['Finance', 'Legal'] });
  });

  it('asks for the inactive members it may add, whose account only the platform knows, and the groups of every pair', () => {
    const desired = computeDesired(snapshot, settings());
    const queries = platformQueriesFor(
      desired,
      focus({
        added: [
          ['g1', 'a'],
          ['g1', 'c'],
        ],
        removed: [['g2', 'gone']],
      }),
    );
    expect(queries.users).toEqual({ externalIds: ['c'], userNames: [] });
    expect(queries.groups).toEqual({ externalIds: ['g1', 'g2'], displayNames: [] });

    const renamed = platformQueriesFor(desired, focus({ groups: ['g1', 'g-removed'] }));
    expect(renamed.users.externalIds).toEqual(['c']);
    expect(renamed.groups).toEqual({ externalIds: ['g-removed', 'g1'], displayNames: ['Sales'] });
  });

  it('asks for a member the source no longer has by its group only', () => {
    const desired = computeDesired(snapshot, settings());
    const queries = platformQueriesFor(desired, focus({ added: [['g1', 'gone-user']] }));
    expect(queries.users).toEqual({ externalIds: [], userNames: [] });
    expect(queries.groups).toEqual({ externalIds: ['g1'], displayNames: [] });
  });

  it('asks by userName only for users in scope that have one: a user out of scope neither adopts nor is created', () => {
    const mixed: DirectorySnapshot = {
      users: [
        sourceUser('kept'),
        sourceUser('leaver', { department: 'Gone' }),
        { id: 'nameless', active: true, attributes: {} },
      ],
      groups: [],
    };
    const desired = computeDesired(
      mixed,
      settings({ filters: [{ attribute: 'department', op: 'notIn', value: ['Gone'] }] }),
    );
    const queries = platformQueriesFor(desired, focus({ users: ['kept', 'leaver', 'nameless'] }));
    expect(queries.users).toEqual({
      externalIds: ['kept', 'leaver', 'nameless'],
      userNames: ['kept@example.com'],
    });
  });
});

describe('emailsToLookUp', () => {
  const withEmails: DirectorySnapshot = {
    users: [
      sourceUser('linked', { email: 'Linked@example.com' }),
      sourceUser('named', { email: 'named@example.com' }),
      sourceUser('hire', { email: 'Hire@example.com' }),
      sourceUser('taken', { email: 'taken@example.com' }),
      sourceUser('mailless'),
      sourceUser('leaver', { email: 'leaver@example.com', department: 'Gone' }),
    ],
    groups: [],
  };
  const found = [
    platformUser('p-linked', 'linked', { userName: 'linked@example.com' }),
    // An unlinked account of the user's userName, spelt in another case: the match adopts it by userName.
    platformUser('p-named', undefined, { userName: 'NAMED@example.com' }),
    // The userName is held by an account linked to someone else: not a candidate, the email may still find one.
    platformUser('p-taken', 'someone-else', { userName: 'taken@example.com' }),
  ];
  const everyone = focus({ users: ['linked', 'named', 'hire', 'taken', 'mailless', 'leaver'] });
  const lookUp = (overrides: Partial<EngineSettings> = {}, platformUsers = found) => {
    const engineSettings = settings({
      filters: [{ attribute: 'department', op: 'notIn', value: ['Gone'] }],
      ...overrides,
    });
    const desired = computeDesired(withEmails, engineSettings);
    return emailsToLookUp(desired, everyone, engineSettings.matching, platformUsers);
  };

  it('asks by email only for in-scope users that neither their externalId nor their userName found', () => {
    expect(lookUp()).toEqual(['Hire@example.com', 'taken@example.com']);
  });

  it('asks nothing when every changed user was found by externalId', () => {
    const allLinked = ['linked', 'named', 'hire', 'taken', 'mailless', 'leaver'].map((id) =>
      platformUser(`p-${id}`, id, { userName: `${id}@example.com` }),
    );
    expect(lookUp({}, allLinked)).toEqual([]);
  });

  it('asks by email for an unlinked user in scope without a userName', () => {
    const nameless: DirectorySnapshot = {
      users: [{ id: 'nameless', active: true, attributes: { email: 'nameless@example.com' } }],
      groups: [],
    };
    const desired = computeDesired(nameless, settings());
    const asked = emailsToLookUp(desired, focus({ users: ['nameless'] }), settings().matching, found);
    expect(asked).toEqual(['nameless@example.com']);
  });

  it('asks nothing when the tenant does not match by email', () => {
    expect(lookUp({ matching: ['externalId', 'userName'] })).toEqual([]);
  });

  it('asks for every unlinked user when email comes before userName, or userName is not matched on', () => {
    const unlinked = ['Hire@example.com', 'named@example.com', 'taken@example.com'];
    expect(lookUp({ matching: ['externalId', 'email', 'userName'] })).toEqual(unlinked);
    expect(lookUp({ matching: ['externalId', 'email'] })).toEqual(unlinked);
  });

  it('gives the same adoption as asking every email at once', () => {
    // A platform holding an unlinked account with the new hire's email under another userName.
    const platform = [
      ...found,
      platformUser('p-hire', undefined, { userName: 'h.ire@example.com', [EMAIL]: 'hire@example.com' }),
    ];
    const engineSettings = settings();
    const desired = computeDesired(withEmails, engineSettings);
    const firstRound = platform.filter((user) => user.id !== 'p-hire');
    const asked = emailsToLookUp(desired, everyone, engineSettings.matching, firstRound);
    const secondRound = platform.filter((user) =>
      asked.some((email) => email.toLowerCase() === user.attributes[EMAIL]?.toLowerCase()),
    );
    const twoRounds = planFocused({
      desired,
      platform: { users: [...firstRound, ...secondRound], groups: [] },
      owned: owned(),
      settings: engineSettings,
      focus: everyone,
    });
    const oneRound = planFocused({
      desired,
      platform: { users: platform, groups: [] },
      owned: owned(),
      settings: engineSettings,
      focus: everyone,
    });
    expect(twoRounds.userOps).toEqual(oneRound.userOps);
    expect(twoRounds.userOps).toContainEqual(
      expect.objectContaining({ kind: 'updateUser', externalId: 'hire', targetId: 'p-hire' }),
    );
  });
});
