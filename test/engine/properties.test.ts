import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDesired, type DesiredState } from '../../src/engine/desired.js';
import { mappedPaths } from '../../src/engine/mapping.js';
import { planFocused, planFull } from '../../src/engine/plan.js';
import type { EngineSettings } from '../../src/engine/settings.js';
import type { Op, Plan } from '../../src/model/plan.js';
import type { PlatformState } from '../../src/model/scim.js';
import { EMAIL } from './fixtures.js';
import { applyPlan, type World } from './simulator.js';
import { type Scenario, scenarios } from './worlds.js';

const RUNS = { numRuns: 300 };

function planScenario({ snapshot, settings, world }: Scenario) {
  const desired = computeDesired(snapshot, settings);
  const plan = planFull({ desired, platform: world.platform, owned: world.owned, settings });
  return { desired, plan };
}

const problemIds = (plan: Plan, type: 'user' | 'group') =>
  new Set(
    plan.problems.filter((problem) => problem.objectType === type).map((problem) => problem.externalId),
  );

/** Checks, without the planner's help, that the platform now holds what the source wants. */
function expectDesiredState(
  desired: DesiredState,
  settings: EngineSettings,
  before: World,
  after: World,
  plan: Plan,
) {
  const userProblems = problemIds(plan, 'user');
  const paths = mappedPaths(settings.userMapping);
  const accountsOf = (state: PlatformState, externalId: string) =>
    state.users.filter((user) => user.externalId === externalId);
  for (const [id, wanted] of desired.users) {
    if (userProblems.has(id)) continue;
    const accounts = accountsOf(after.platform, id);
    if (wanted.inScope) {
      expect(accounts.length, `accounts of ${id}`).toBe(wanted.state.active ? 1 : accounts.length);
      for (const account of accounts) {
        expect(account.active).toBe(wanted.state.active);
        for (const path of paths)
          expect(account.attributes[path], `${id} ${path}`).toBe(wanted.state.attributes[path]);
      }
    } else if (settings.skipOutOfScopeDeletions) {
      expect(accounts).toEqual(accountsOf(before.platform, id));
    } else {
      for (const account of accounts) expect(account.active).toBe(false);
      if (settings.deprovision === 'delete') expect(accounts).toEqual([]);
    }
  }
  for (const user of before.platform.users) {
    const orphan =
      user.externalId !== undefined &&
      before.owned.users.has(user.externalId) &&
      !desired.users.has(user.externalId);
    if (orphan)
      expect(accountsOf(after.platform, user.externalId ?? '').every((account) => !account.active)).toBe(
        true,
      );
  }

  const groupProblems = problemIds(plan, 'group');
  const managedUsers = new Map(
    after.platform.users.flatMap((user) =>
      user.externalId !== undefined &&
      (desired.users.has(user.externalId) || after.owned.users.has(user.externalId))
        ? [[user.id, user.externalId] as const]
        : [],
    ),
  );
  for (const [id, wanted] of desired.groups) {
    if (groupProblems.has(id)) continue;
    const found = after.platform.groups.filter((group) => group.externalId === id);
    expect(found.length, `platform groups for ${id}`).toBe(1);
    const group = found[0]!;
    expect(group.displayName).toBe(wanted.displayName);
    const actualMembers = group.memberIds.flatMap((memberId) => managedUsers.get(memberId) ?? []).sort();
    const withAccounts = wanted.memberExternalIds.filter(
      (member) => accountsOf(after.platform, member).length === 1,
    );
    expect(actualMembers, `members of ${id}`).toEqual(withAccounts);
  }
}

/**
 * Counts the cases a property's conditional checks ran on: a property whose checks sit behind an
 * `if` would pass vacuously if the generated worlds stopped reaching them.
 */
function casesSeen<Name extends string>(names: readonly Name[]) {
  const counts = Object.fromEntries(names.map((name) => [name, 0])) as Record<Name, number>;
  return {
    saw: (name: Name) => {
      counts[name]++;
    },
    expectEachSeen: () => {
      for (const name of names) expect(counts[name], `cases of ${name}`).toBeGreaterThan(0);
    },
  };
}

describe('engine properties', () => {
  it('applying a full plan reaches the desired state, and planning again plans nothing', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const { desired, plan } = planScenario(scenario);
        const after = applyPlan(scenario.world, plan);
        expectDesiredState(desired, scenario.settings, scenario.world, after, plan);
        const again = planFull({
          desired,
          platform: after.platform,
          owned: after.owned,
          settings: scenario.settings,
        });
        expect(again.userOps).toEqual([]);
        expect(again.groupOps).toEqual([]);
        expect(again.problems).toEqual(plan.problems);
      }),
      RUNS,
    );
  });

  it('never touches a platform object the tenant does not manage', () => {
    const cases = casesSeen([
      'managed user touched',
      'user adopted',
      'managed group touched',
      'group adopted',
      'unmanaged member kept',
    ] as const);
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const { desired, plan } = planScenario(scenario);
        const after = applyPlan(scenario.world, plan);
        const ops = [...plan.userOps, ...plan.groupOps];
        const adoptions = new Map(
          ops.flatMap((op) =>
            (op.kind === 'updateUser' || op.kind === 'reactivateUser' || op.kind === 'updateGroup') &&
            op.adoptedBy
              ? [[op.targetId, op] as const]
              : [],
          ),
        );
        const { users: ownedUsers, groups: ownedGroups } = scenario.world.owned;
        for (const user of scenario.world.platform.users) {
          if (!after.touched.has(user.id)) continue;
          if (user.externalId !== undefined) {
            expect(
              desired.users.has(user.externalId) || ownedUsers.has(user.externalId),
              `touched ${user.id}`,
            ).toBe(true);
            cases.saw('managed user touched');
            continue;
          }
          // An adopted user: its userName or email is the in-scope source user's.
          cases.saw('user adopted');
          const adoption = adoptions.get(user.id);
          expect(adoption, `touched ${user.id} without adopting it`).toBeDefined();
          const wanted = desired.users.get(adoption?.externalId ?? '');
          expect(wanted?.inScope).toBe(true);
          const path =
            adoption && 'adoptedBy' in adoption && adoption.adoptedBy === 'email' ? EMAIL : 'userName';
          expect(user.attributes[path]?.toLowerCase()).toBe(wanted?.state.attributes[path]?.toLowerCase());
        }
        for (const group of scenario.world.platform.groups) {
          if (!after.touched.has(group.id)) continue;
          if (group.externalId !== undefined) {
            expect(desired.sourceGroupIds.has(group.externalId) || ownedGroups.has(group.externalId)).toBe(
              true,
            );
            cases.saw('managed group touched');
          } else {
            cases.saw('group adopted');
            expect(adoptions.get(group.id)?.externalId).toBeDefined();
            expect(desired.groups.get(adoptions.get(group.id)?.externalId ?? '')?.displayName).toBe(
              group.displayName,
            );
          }
          // Members the tenant does not manage stay where they are.
          const stillThere = new Set(
            after.platform.groups.find((kept) => kept.id === group.id)?.memberIds ?? group.memberIds,
          );
          for (const memberId of group.memberIds) {
            const member = scenario.world.platform.users.find((user) => user.id === memberId);
            const managed =
              member?.externalId !== undefined &&
              (desired.users.has(member.externalId) || ownedUsers.has(member.externalId));
            const adopted = member !== undefined && adoptions.has(member.id);
            const deleted =
              member !== undefined && !after.platform.users.some((user) => user.id === member.id);
            if (
              !managed &&
              !adopted &&
              !deleted &&
              after.platform.groups.some((kept) => kept.id === group.id)
            ) {
              expect(stillThere.has(memberId), `unmanaged member ${memberId} of ${group.id}`).toBe(true);
              cases.saw('unmanaged member kept');
            }
          }
        }
      }),
      RUNS,
    );
    cases.expectEachSeen();
  });

  it('a focused plan never deprovisions what is outside its focus or absent from its platform state', () => {
    const focused = scenarios.chain((scenario) =>
      fc.record({
        scenario: fc.constant(scenario),
        users: fc.subarray([...scenario.world.platform.users]),
        groups: fc.subarray([...scenario.world.platform.groups]),
        userIds: fc.subarray([
          ...scenario.snapshot.users.map((user) => user.id),
          'gone-0',
          'gone-1',
          'gone-2',
        ]),
        groupIds: fc.subarray(['g0', 'g1', 'g2', 'g3', 'gone-group-0', 'gone-group-1']),
        removed: fc.array(
          fc.record({
            groupId: fc.constantFrom('g0', 'g1', 'gone-group-0'),
            memberId: fc.constantFrom('u0', 'u1', 'gone-0'),
          }),
          {
            maxLength: 4,
          },
        ),
      }),
    );
    const cases = casesSeen(['op on a platform object', 'deprovision', 'member removal', 'user op'] as const);
    fc.assert(
      fc.property(focused, ({ scenario, users, groups, userIds, groupIds, removed }) => {
        const desired = computeDesired(scenario.snapshot, scenario.settings);
        const narrowed = { users, groups };
        const focus = {
          userIds: new Set(userIds),
          groupIds: new Set(groupIds),
          membershipsAdded: [],
          membershipsRemoved: removed,
        };
        const plan = planFocused({
          desired,
          platform: narrowed,
          owned: scenario.world.owned,
          settings: scenario.settings,
          focus,
        });
        const known = new Set([...users.map((user) => user.id), ...groups.map((group) => group.id)]);
        const deprovisions = new Set<Op['kind']>(['deactivateUser', 'deleteUser', 'deleteGroup']);
        for (const op of [...plan.userOps, ...plan.groupOps]) {
          if ('targetId' in op && op.targetId !== undefined) {
            expect(known.has(op.targetId), `${op.kind} ${op.targetId}`).toBe(true);
            cases.saw('op on a platform object');
          }
          if (deprovisions.has(op.kind)) {
            cases.saw('deprovision');
            const isGroup = op.kind === 'deleteGroup';
            expect((isGroup ? focus.groupIds : focus.userIds).has(op.externalId)).toBe(true);
            const managed = isGroup
              ? desired.sourceGroupIds.has(op.externalId) || scenario.world.owned.groups.has(op.externalId)
              : desired.users.has(op.externalId) || scenario.world.owned.users.has(op.externalId);
            expect(managed, `${op.kind} ${op.externalId} is managed`).toBe(true);
          }
          if (op.kind === 'removeMembers') {
            expect(desired.groups.has(op.externalId)).toBe(true);
            cases.saw('member removal');
          }
        }
        for (const op of plan.userOps) {
          expect(focus.userIds.has(op.externalId)).toBe(true);
          cases.saw('user op');
        }
      }),
      RUNS,
    );
    cases.expectEachSeen();
  });
});
