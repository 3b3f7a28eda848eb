import { describe, expect, it } from 'vitest';
import { digestLogEvents } from '../../../connectors/okta/changeFeed.js';
import { equalsAny, quoted } from '../../../connectors/okta/expressions.js';
import { isActiveStatus, oktaUserMapping, toDirectoryUser } from '../../../connectors/okta/mapping.js';
import { RateLimitPacer } from '../../../connectors/shared/rateLimitPacer.js';
import { matches, parseExpression } from '../../emulators/okta/expressions.js';

describe('Okta mapping', () => {
  it('maps statuses to active per the status mapping and the pending-users rule', () => {
    for (const status of ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY']) {
      expect(isActiveStatus(status, 'inactive')).toBe(true);
    }
    for (const status of ['SUSPENDED', 'DEPROVISIONED', 'SOMETHING_NEW']) {
      expect(isActiveStatus(status, 'active')).toBe(false);
    }
    expect(isActiveStatus('STAGED', 'inactive')).toBe(false);
    expect(isActiveStatus('PROVISIONED', 'active')).toBe(true);
    expect(isActiveStatus('STAGED', 'skip')).toBeUndefined();
  });

  it('keeps profile attributes by dotted name, drops empty ones and names every mapped one', () => {
    const user = toDirectoryUser(
      {
        id: '00u1',
        status: 'ACTIVE',
        profile: { login: 'a@x', firstName: 'Ada', lastName: '', title: null },
      },
      'inactive',
    );
    expect(user?.attributes).toEqual({
      id: '00u1',
      status: 'ACTIVE',
      'profile.login': 'a@x',
      'profile.firstName': 'Ada',
      'profile.displayName': 'Ada',
    });
    expect(oktaUserMapping.userName).toBe('profile.login');
    expect(oktaUserMapping['emails[type eq "work"].value']).toBe('profile.email');
  });
});

describe('Okta search expressions', () => {
  it('quotes values so that quotes and backslashes cannot change the expression', () => {
    const value = 'a" or profile.login sw "\\';
    const expression = parseExpression(equalsAny(['profile.login'], [value]));
    expect(quoted('x"y\\z')).toBe('"x\\"y\\\\z"');
    expect(matches(expression, () => value)).toBe(true);
    expect(matches(expression, () => 'a')).toBe(false);
  });
});

describe('System Log digest', () => {
  const membership = (type: string, userId: string, groupId: string) => ({
    eventType: `group.user_membership.${type}`,
    target: [
      { id: userId, type: 'User' },
      { id: groupId, type: 'UserGroup' },
    ],
  });

  it('keeps the last word per membership and drops what a deletion makes moot', () => {
    const digest = digestLogEvents([
      membership('add', 'u1', 'g1'),
      membership('remove', 'u1', 'g1'),
      membership('add', 'u2', 'g1'),
      membership('add', 'u3', 'g2'),
      { eventType: 'group.lifecycle.delete', target: [{ id: 'g2', type: 'UserGroup' }] },
      { eventType: 'user.lifecycle.delete.completed', target: [{ id: 'u2', type: 'User' }] },
    ]);
    expect(digest.membershipsRemoved).toEqual([{ groupId: 'g1', memberId: 'u1' }]);
    expect(digest.membershipsAdded).toEqual([]);
    expect(digest.removedGroupIds).toEqual(['g2']);
    expect(digest.deletedUserIds).toEqual(['u2']);
  });

  it('asks for a full run when an event does not name its objects', () => {
    expect(digestLogEvents([{ eventType: 'group.user_membership.add', target: [] }]).imprecise).toMatch(
      /names no user or group/,
    );
  });

  it('reads only assignment events of the tenant app', () => {
    const assignment = (appId: string) => ({
      eventType: 'group.application_assignment.add',
      target: [
        { id: appId, type: 'AppInstance' },
        { id: 'g1', type: 'UserGroup' },
      ],
    });
    expect(
      digestLogEvents([assignment('0oaOther'), assignment('0oaOurs')], '0oaOurs').assignedGroupIds,
    ).toEqual(['g1']);
    expect(digestLogEvents([assignment('0oaOther')], '0oaOurs').assignedGroupIds).toEqual([]);
  });
});

describe('rate-limit pacer', () => {
  it('spreads the last tenth of a window until its reset, then waits for the next one', () => {
    let now = 0;
    const pacer = new RateLimitPacer({ now: () => now });
    const window = { limit: 100, remaining: 12, resetAt: 30_000, windowKey: 30 };
    expect(pacer.reserve('users')).toBe(0);
    pacer.release('users', window);
    const waits = Array.from({ length: 12 }, () => pacer.reserve('users'));
    expect(waits.slice(0, 2)).toEqual([0, 0]);
    // 10 calls left for 30 s: one every 3 s.
    expect(waits.slice(2)).toEqual([0, 3000, 6000, 9000, 12_000, 15_000, 18_000, 21_000, 24_000, 27_000]);
    expect(pacer.reserve('users')).toBe(30_000);
    now = 30_000;
    expect(pacer.reserve('users')).toBe(0);
  });

  it('counts calls still in flight against a new window', () => {
    const pacer = new RateLimitPacer({ now: () => 0 });
    for (let call = 0; call < 5; call++) pacer.reserve('groups');
    pacer.release('groups', { limit: 5, remaining: 4, resetAt: 60_000, windowKey: 60 });
    // Four more calls are in flight and will count: none is left.
    expect(pacer.reserve('groups')).toBe(60_000);
  });
});
