import { describe, expect, it } from 'vitest';
import { computeDesired, planFull } from '../../src/engine/index.js';
import type { Op } from '../../src/model/plan.js';
import { countBy } from './callSummary.js';
import { syntheticWorld } from './syntheticWorld.js';

const size = { users: 1_000, groups: 100, memberships: 10_000 };

function plan(changed: number) {
  const world = syntheticWorld({ ...size, changed });
  const desired = computeDesired(world.snapshot, world.settings);
  const planned = planFull({
    desired,
    platform: world.platform,
    owned: world.owned,
    settings: world.settings,
  });
  const kinds = (ops: readonly Op[]) => countBy(ops.map((op) => op.kind));
  return { world, planned, userKinds: kinds(planned.userOps), groupKinds: kinds(planned.groupOps) };
}

describe('the synthetic world the plan benchmark measures', () => {
  it('is already in sync when nothing changed: the plan is empty', () => {
    const { world, planned } = plan(0);
    expect(world.memberships).toBeGreaterThan(9_000);
    expect(planned.userOps).toEqual([]);
    expect(planned.groupOps).toEqual([]);
    expect(planned.problems).toEqual([]);
  });

  it('differs in 10% of users and groups, each change planned as the op it stands for', () => {
    const { planned, userKinds, groupKinds } = plan(0.1);
    // 100 changed users: a quarter drifted, new, disabled, and gone from the source.
    expect(userKinds).toEqual({ updateUser: 25, createUser: 25, deactivateUser: 50 });
    // Every changed group both gains and loses members; new and departed users move memberships too.
    expect(groupKinds.addMembers).toBeGreaterThanOrEqual(10);
    expect(groupKinds.removeMembers).toBeGreaterThanOrEqual(10);
    expect(Object.keys(groupKinds).sort()).toEqual(['addMembers', 'removeMembers']);
    expect(planned.problems).toEqual([]);
  });

  it('is the same world on every run', () => {
    expect(syntheticWorld({ ...size, changed: 0.1 })).toEqual(syntheticWorld({ ...size, changed: 0.1 }));
  });
});
