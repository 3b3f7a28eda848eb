import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../src/engine/applyChanges.js';
import { changesBetween } from '../../src/engine/changes.js';
import { computeDesired, type DesiredState } from '../../src/engine/desired.js';
import { emailsToLookUp, type Focus, platformQueriesFor } from '../../src/engine/focus.js';
import { planFocused, planFull } from '../../src/engine/plan.js';
import type { EngineSettings } from '../../src/engine/settings.js';
import type { DirectoryChanges, DirectorySnapshot } from '../../src/model/directory.js';
import type { Op } from '../../src/model/plan.js';
import type { PlatformState } from '../../src/model/scim.js';
import { EMAIL } from './fixtures.js';
import { applyPlan } from './simulator.js';
import { scenarios } from './worlds.js';

/** Random source changes: edited, disabled, new and removed users; renamed, new and removed groups; pairs; assignments. */
function changesFor(snapshot: DirectorySnapshot): fc.Arbitrary<DirectoryChanges> {
  const userIds = snapshot.users.map((user) => user.id);
  const groupIds = ['g0', 'g1', 'g2', 'g3', 'g-new'];
  const memberIds = [...userIds, 'n0', 'n1', ...groupIds];
  const pair = fc.record({ groupId: fc.constantFrom(...groupIds), memberId: fc.constantFrom(...memberIds) });
  return fc.record({
    upsertedUsers: fc
      .tuple(
        fc.subarray([...snapshot.users]),
        fc.constantFrom('Sales', 'Eng', undefined),
        fc.boolean(),
        fc.subarray(['n0', 'n1']),
      )
      .map(([edited, department, active, added]) => [
        ...edited.map((user) => {
          const { department: _, ...rest } = user.attributes;
          return { ...user, active, attributes: department === undefined ? rest : { ...rest, department } };
        }),
        ...added.map((id) => ({
          id,
          active: true,
          attributes: { userName: `${id}@new.io`, department: 'Sales' },
        })),
      ]),
    removedUsers: fc.subarray(userIds).map((ids) => ids.map((id) => ({ id, kind: 'deleted' as const }))),
    upsertedGroups: fc
      .subarray(groupIds)
      .map((ids) => ids.map((id) => ({ id, displayName: `Renamed ${id}`, attributes: {} }))),
    removedGroupIds: fc.subarray(groupIds),
    membershipsAdded: fc.array(pair, { maxLength: 5 }),
    membershipsRemoved: fc.array(pair, { maxLength: 5 }),
    assignmentsAdded: fc.record({
      userIds: fc.subarray([...userIds, 'n0']),
      groupIds: fc.subarray(groupIds),
    }),
    assignmentsRemoved: fc.record({ userIds: fc.subarray(userIds), groupIds: fc.subarray(groupIds) }),
  });
}

/**
 * The platform client's answer to the engine's queries: exact externalIds and names, case-insensitive
 * userName and email; the emails in a second round, asked for the users the first left without an account.
 */
function narrow(
  platform: PlatformState,
  desired: DesiredState,
  focus: Focus,
  matching: EngineSettings['matching'],
): PlatformState {
  const { users, groups } = platformQueriesFor(desired, focus);
  const lower = (values: readonly string[] = []) => new Set(values.map((value) => value.toLowerCase()));
  const [externalIds, userNames] = [new Set(users.externalIds), lower(users.userNames)];
  const firstRound = platform.users.filter(
    (user) =>
      externalIds.has(user.externalId ?? '') || userNames.has(user.attributes.userName?.toLowerCase() ?? ''),
  );
  const emails = lower(emailsToLookUp(desired, focus, matching, firstRound));
  const [groupIds, names] = [new Set(groups.externalIds), new Set(groups.displayNames)];
  const found = platform.groups.filter(
    (group) => groupIds.has(group.externalId ?? '') || names.has(group.displayName),
  );
  // The second read: the users behind the members of the focused groups.
  const memberIds = new Set(
    found
      .filter((group) => focus.groupIds.has(group.externalId ?? '') || names.has(group.displayName))
      .flatMap((group) => group.memberIds),
  );
  return {
    users: platform.users.filter(
      (user) =>
        memberIds.has(user.id) ||
        firstRound.includes(user) ||
        emails.has(user.attributes[EMAIL]?.toLowerCase() ?? ''),
    ),
    groups: found,
  };
}

describe('incremental planning', () => {
  it('a focused plan of the changes leaves nothing for a full run to do', () => {
    const cases = scenarios.chain((scenario) =>
      fc.record({ scenario: fc.constant(scenario), changes: changesFor(scenario.snapshot) }),
    );
    fc.assert(
      fc.property(cases, ({ scenario, changes }) => {
        const { settings } = scenario;
        const before = computeDesired(scenario.snapshot, settings);
        const first = planFull({
          desired: before,
          platform: scenario.world.platform,
          owned: scenario.world.owned,
          settings,
        });
        const synced = applyPlan(scenario.world, first);
        const after = computeDesired(applyChanges(scenario.snapshot, changes), settings);
        const focus = changesBetween(before, after);
        // As the shell does: objects that could not be planned last time are looked at again.
        for (const problem of first.problems) {
          (problem.objectType === 'user' ? focus.userIds : focus.groupIds).add(problem.externalId);
        }
        const platform = narrow(synced.platform, after, focus, settings.matching);
        const focused = planFocused({ desired: after, platform, owned: synced.owned, settings, focus });
        const applied = applyPlan(synced, focused);
        const full = planFull({ desired: after, platform: applied.platform, owned: applied.owned, settings });
        expect(full.userOps).toEqual([]);
        // Known limit: a user adopted by a focused plan keeps the managed groups it was already in
        // (the narrowed state cannot say which); the next full run removes it from them.
        const adopted = new Set(
          focused.userOps.flatMap((op) => ('adoptedBy' in op && op.adoptedBy ? [op.externalId] : [])),
        );
        const left = full.groupOps.flatMap((op): (Op | string)[] =>
          op.kind === 'removeMembers'
            ? op.memberExternalIds.filter((id) => !adopted.has(id)).map((id) => `${op.externalId} -${id}`)
            : [op],
        );
        expect(left).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
