import { describe, expect, it } from 'vitest';
import { computeScope } from '../../src/engine/scope.js';
import { explainScope } from '../../src/engine/scopeExplanation.js';
import type { DirectorySnapshot } from '../../src/model/directory.js';
import { settings, sourceGroup, sourceUser } from './fixtures.js';

const users = [
  sourceUser('alice', { department: 'Sales', country: 'FR' }),
  sourceUser('bob', { department: 'HR', country: 'FR' }),
  sourceUser('dave'),
];
const groups = [sourceGroup('g-sales', 'Sales', ['alice', 'bob']), sourceGroup('g-eng', 'Engineering', [])];

function explained(snapshot: DirectorySnapshot, overrides: Parameters<typeof settings>[0], userId: string) {
  const tenantSettings = settings(overrides);
  const decision = computeScope(snapshot, tenantSettings).users.get(userId)!;
  return explainScope(snapshot.users.find((user) => user.id === userId)!, decision, tenantSettings);
}

describe('explainScope', () => {
  const salesOnly = {
    scope: { mode: 'groups' as const, groups: ['Sales', 'Engineering'] },
    filters: [
      { attribute: 'country', op: 'eq' as const, value: 'FR' },
      { attribute: 'department', op: 'in' as const, value: ['Sales', 'Support'] },
    ],
  };

  it('names the filter that took a user out, with the value the user has', () => {
    expect(explained({ users, groups }, salesOnly, 'bob')).toEqual({
      inScope: false,
      rule: 'members of the scope groups [Sales, Engineering]',
      decidedBy: "filter department in [Sales, Support] failed: department is 'HR'",
      filters: [
        { filter: 'country eq FR', passed: true, actual: 'FR' },
        { filter: 'department in [Sales, Support]', passed: false, actual: 'HR' },
      ],
    });
  });

  it('says an empty attribute is empty', () => {
    const result = explained(
      { users, groups: [sourceGroup('g-sales', 'Sales', ['dave'])] },
      salesOnly,
      'dave',
    );
    expect(result.decidedBy).toBe('filter country eq FR failed: country is empty');
    expect(result.filters[0]).toEqual({ filter: 'country eq FR', passed: false, actual: null });
  });

  it('lets the scope rule decide when it keeps the user out, even though a filter fails too', () => {
    const result = explained({ users, groups }, salesOnly, 'dave');
    expect(result).toMatchObject({
      inScope: false,
      decidedBy: 'not a member of the scoped groups (Sales, Engineering)',
    });
    expect(result.filters.map((verdict) => verdict.passed)).toEqual([false, false]);
  });

  it('names the group that let a user in when every filter passes', () => {
    expect(explained({ users, groups }, salesOnly, 'alice')).toMatchObject({
      inScope: true,
      decidedBy: 'member of scoped group Sales',
    });
  });

  it('says a user not assigned to the app is not assigned', () => {
    const snapshot = { users, groups, assignments: { userIds: ['alice'], groupIds: [] } };
    expect(explained(snapshot, { scope: { mode: 'assigned' } }, 'bob')).toEqual({
      inScope: false,
      rule: 'users and groups assigned to the app',
      decidedBy: 'not assigned to the app',
      filters: [],
    });
  });

  it('shows present/absent filters without a value, and shortens long values', () => {
    const long = 'x'.repeat(100);
    const result = explained(
      { users: [sourceUser('erin', { title: long })], groups: [] },
      {
        filters: [
          { attribute: 'title', op: 'present' },
          { attribute: 'title', op: 'absent' },
        ],
      },
      'erin',
    );
    expect(result.rule).toBe('all users');
    expect(result.filters.map((verdict) => verdict.filter)).toEqual(['title present', 'title absent']);
    expect(result.decidedBy).toBe(`filter title absent failed: title is '${'x'.repeat(64)}…'`);
  });
});
