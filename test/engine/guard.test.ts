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
const create = (id: string): Op => ({
  kind: 'createUser',
  externalId: id,
  active: true,
  attributes: { userName: `${id}@example.com` },
});
const retitle = (id: string): Op => ({
  kind: 'updateUser',
  externalId: id,
  targetId: `p-${id}`,
  active: true,
  attributes: {},
  changes: [
    { path: 'title', from: 'Intern', to: 'Engineer' },
    { path: 'urn:example:params:scim:schemas:extension:1.0:User:isContractor', from: true, to: false },
  ],
});
const reactivate = (id: string): Op => ({
  kind: 'reactivateUser',
  externalId: id,
  targetId: `p-${id}`,
  active: true,
  attributes: {},
  changes: [{ path: 'active', from: false, to: true }],
});
const enableWithChanges = (id: string): Op => ({
  kind: 'updateUser',
  externalId: id,
  targetId: `p-${id}`,
  active: true,
  attributes: {},
  changes: [{ path: 'active', from: false, to: true }],
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

  it('does not count creates, ordinary updates or reactivations as taking accounts away', () => {
    const busyDay = ['a', 'b', 'c', 'd', 'e'].flatMap((id) => [
      create(id),
      retitle(`${id}2`),
      reactivate(`${id}3`),
      enableWithChanges(`${id}4`),
    ]);
    expect(
      guardPlan(planWith(busyDay, 4), limits, { sourceUserCount: 19, previousSourceUserCount: 4 }),
    ).toEqual({ held: false });
  });

  it('lets a plan through that sits exactly at the limits', () => {
    const three = [deactivate('a'), remove('b'), disableWithChanges('c')];
    expect(
      guardPlan(planWith(three, 6), limits, { sourceUserCount: 6, previousSourceUserCount: 12 }),
    ).toEqual({
      held: false,
    });
  });

  it('holds a plan one over the ratio, but not one under it', () => {
    const ratioOnly = { ...limits, maxDeactivations: 100 };
    const ops = [deactivate('a'), deactivate('b'), deactivate('c')];
    expect(guardPlan(planWith(ops, 5), ratioOnly, { sourceUserCount: 5 })).toEqual({
      held: true,
      reason: '3 of 5 managed users would be deactivated or deleted, over maxDeactivationRatio 0.5',
    });
    expect(guardPlan(planWith(ops, 6), ratioOnly, { sourceUserCount: 6 })).toEqual({ held: false });
  });

  it('judges a first run, with no managed users yet, by the count limit alone', () => {
    expect(guardPlan(planWith([deactivate('a')], 0), limits, { sourceUserCount: 1 })).toEqual({
      held: false,
    });
  });

  it('gives every reason when several limits are crossed', () => {
    const ops = [deactivate('a'), deactivate('b'), deactivate('c'), deactivate('d')];
    expect(guardPlan(planWith(ops, 4), limits, { sourceUserCount: 0, previousSourceUserCount: 4 })).toEqual({
      held: true,
      reason: [
        '4 users would be deactivated or deleted, over maxDeactivations 3',
        '4 of 4 managed users would be deactivated or deleted, over maxDeactivationRatio 0.5',
        'the source returned no users while 4 platform users are managed',
        'the source returned 0 users, under minSourceRatio 0.5 of the previous 4',
      ].join('; '),
    });
  });
});
