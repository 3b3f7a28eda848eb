import { describe, expect, it } from 'vitest';
import { computeScope } from '../../src/engine/scope.js';
import type { DirectorySnapshot } from '../../src/model/directory.js';
import { settings, sourceGroup, sourceUser } from './fixtures.js';

const users = [
  sourceUser('alice', { department: 'Sales' }),
  sourceUser('bob', { department: 'Engineering' }),
  sourceUser('carol', { department: 'Sales' }, false),
  sourceUser('dave'),
];
// Sales holds alice and the nested group Leads (carol); Leads holds Sales back: a cycle.
const groups = [
  sourceGroup('g-sales', 'Sales', ['alice', 'g-leads', 'nobody']),
  sourceGroup('g-leads', 'Leads', ['carol', 'g-sales']),
  sourceGroup('g-eng', 'Engineering', ['bob']),
];

const decisions = (snapshot: DirectorySnapshot, overrides: Parameters<typeof settings>[0]) =>
  Object.fromEntries(computeScope(snapshot, settings(overrides)).users);
const pushed = (snapshot: DirectorySnapshot, overrides: Parameters<typeof settings>[0]) =>
  computeScope(snapshot, settings(overrides)).pushedGroups.map((group) => [
    group.group.id,
    group.memberUserIds,
  ]);

describe('computeScope', () => {
  it('scope all: every user, every group pushed with nested members flattened, cycle-safe', () => {
    const snapshot = { users, groups };
    expect(decisions(snapshot, {}).alice).toEqual({ inScope: true, reason: 'all users are in scope' });
    expect(pushed(snapshot, {})).toEqual([
      ['g-sales', ['alice', 'carol']],
      ['g-leads', ['alice', 'carol']],
      ['g-eng', ['bob']],
    ]);
  });

  it('keeps disabled users in scope, and says they are disabled', () => {
    expect(decisions({ users, groups }, {}).carol).toEqual({
      inScope: true,
      reason: 'all users are in scope (disabled in the source)',
    });
  });

  it('scope assigned: direct assignees and transitive members of assigned groups; only assigned groups pushed', () => {
    const snapshot = { users, groups, assignments: { userIds: ['dave'], groupIds: ['g-sales'] } };
    const result = decisions(snapshot, { scope: { mode: 'assigned' } });
    expect(result.dave).toEqual({ inScope: true, reason: 'assigned directly' });
    expect(result.alice).toEqual({ inScope: true, reason: 'member of assigned group Sales' });
    expect(result.carol?.inScope).toBe(true);
    expect(result.bob).toEqual({ inScope: false, reason: 'not assigned to the app' });
    expect(pushed(snapshot, { scope: { mode: 'assigned' } })).toEqual([['g-sales', ['alice', 'carol']]]);
  });

  it('scope assigned: pushes a nested group too when it is assigned on its own', () => {
    const snapshot = {
      users,
      groups,
      assignments: { userIds: [], groupIds: ['g-leads', 'g-sales', 'g-gone'] },
    };
    const scope = computeScope(snapshot, settings({ scope: { mode: 'assigned' } }));
    expect(scope.pushedGroups.map((group) => group.group.id)).toEqual(['g-leads', 'g-sales']);
    expect(scope.users.get('carol')?.reason).toBe('member of assigned group Leads (disabled in the source)');
    expect(scope.unresolvedGroups).toEqual(['g-gone']);
  });

  it('scope assigned refuses a snapshot without assignments rather than deprovisioning everyone', () => {
    expect(() => computeScope({ users, groups }, settings({ scope: { mode: 'assigned' } }))).toThrow(
      /assignments/,
    );
  });

  it('scope groups: listed groups by id or exact display name', () => {
    const overrides = { scope: { mode: 'groups', groups: ['Engineering', 'g-leads', 'Missing'] } } as const;
    const result = decisions({ users, groups }, overrides);
    expect(result.bob).toEqual({ inScope: true, reason: 'member of scoped group Engineering' });
    expect(result.alice).toEqual({ inScope: true, reason: 'member of scoped group Leads' });
    expect(result.dave).toEqual({
      inScope: false,
      reason: 'not a member of the scoped groups (Engineering, g-leads, Missing)',
    });
    expect(pushed({ users, groups }, overrides)).toEqual([
      ['g-eng', ['bob']],
      ['g-leads', ['alice', 'carol']],
    ]);
    expect(computeScope({ users, groups }, settings(overrides)).unresolvedGroups).toEqual(['Missing']);
  });

  it('scope groups by name: keeps every source group of that name, not just one', () => {
    const salesEurope = sourceGroup('g-sales-eu', 'Sales', ['alice']);
    const salesAmericas = sourceGroup('g-sales-us', 'Sales', ['bob']);
    const snapshot = { users, groups: [salesEurope, salesAmericas] };
    const overrides = { scope: { mode: 'groups', groups: ['Sales'] } } as const;
    const result = decisions(snapshot, overrides);
    expect(result.alice).toEqual({ inScope: true, reason: 'member of scoped group Sales' });
    expect(result.bob).toEqual({ inScope: true, reason: 'member of scoped group Sales' });
    expect(pushed(snapshot, overrides)).toEqual([
      ['g-sales-eu', ['alice']],
      ['g-sales-us', ['bob']],
    ]);
  });

  it('filters take users out of scope and out of pushed groups', () => {
    const overrides = {
      filters: [{ attribute: 'department', op: 'in' as const, value: ['Sales', 'Support'] }],
    };
    const result = decisions({ users, groups }, overrides);
    expect(result.bob).toEqual({
      inScope: false,
      reason: 'filtered out: department not in [Sales, Support]',
    });
    expect(result.alice?.inScope).toBe(true);
    expect(pushed({ users, groups }, overrides)).toContainEqual(['g-eng', []]);
  });
});
