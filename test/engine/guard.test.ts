import { describe, expect, it } from 'vitest';
import { guardPlan } from '../../src/engine/guard.js';
import type { Op, Plan } from '../../src/model/plan.js';

const limits = { maxDeactivations: 3, maxDeactivationRatio: 0.5, minSourceRatio: 0.5 };
const deactivate = (id: string): Op => ({ kind: 'deactivateUser', externalId: id, targetId: `p-${id}` });
const remove = (id: string): Op => ({ kind: 'deleteUser', externalId: id, targetId: `p-${id}` });
const disableWithChanges = (id: string): Op => ({
  kind: 'updateUser',
  externalId: id,
  targetId: `p-${id}`,
  active: false,
  attributes: {},
  changes: [
    { path: 'title', to: 'x' },
    { path: 'active', from: true, to: false },
  ],
});
const planWith = (userOps: Op[], managedUserCount: number): Plan => ({
  userOps,
  groupOps: [],
  problems: [],
  managedUserCount,
});

describe('guardPlan', () => {
  it('lets an ordinary plan through', () => {
    expect(
      guardPlan(planWith([deactivate('a')], 100), limits, {
        sourceUserCount: 99,
        previousSourceUserCount: 100,
      }),
    ).toEqual({
      held: false,
    });
  });

  it('holds a plan over maxDeactivations, counting deletions and updates that deactivate', () => {
    const ops = [deactivate('a'), remove('b'), disableWithChanges('c'), deactivate('d')];
    expect(guardPlan(planWith(ops, 100), limits, { sourceUserCount: 100 })).toEqual({
      held: true,
      reason: '4 users would be deactivated or deleted, over maxDeactivations 3',
    });
    expect(guardPlan(planWith(ops.slice(0, 3), 100), limits, { sourceUserCount: 100 }).held).toBe(false);
  });

  it('holds a plan over the ratio of managed users', () => {
    expect(
      guardPlan(planWith([deactivate('a'), deactivate('b')], 3), limits, { sourceUserCount: 1 }),
    ).toEqual({
      held: true,
      reason: '2 of 3 managed users would be deactivated or deleted, over maxDeactivationRatio 0.5',
    });
  });

  it('holds an empty source while the platform has managed users', () => {
    const verdict = guardPlan(
      planWith([], 2),
      { ...limits, maxDeactivationRatio: 1 },
      { sourceUserCount: 0 },
    );
    expect(verdict).toEqual({
      held: true,
      reason: 'the source returned no users while 2 platform users are managed',
    });
    expect(guardPlan(planWith([], 0), limits, { sourceUserCount: 0 }).held).toBe(false);
  });

  it('holds a source that shrank under minSourceRatio of the previous read', () => {
    expect(guardPlan(planWith([], 0), limits, { sourceUserCount: 4, previousSourceUserCount: 10 })).toEqual({
      held: true,
      reason: 'the source returned 4 users, under minSourceRatio 0.5 of the previous 10',
    });
    expect(guardPlan(planWith([], 0), limits, { sourceUserCount: 5, previousSourceUserCount: 10 }).held).toBe(
      false,
    );
  });
});
