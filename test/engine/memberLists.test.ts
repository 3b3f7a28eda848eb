import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffMemberRanks, diffMembers } from '../../src/engine/diff.js';
import { GroupFlattener } from '../../src/engine/flatten.js';
import { rankIds } from '../../src/engine/idRanking.js';
import { listOfRanks, type RankedList } from '../../src/engine/rankedLists.js';
import type { DirectoryGroup } from '../../src/model/directory.js';
import { sourceGroup } from './fixtures.js';

const RUNS = { numRuns: 300 };

/** The flattening rule stated with string sets: what the integer walk must reproduce. */
function naiveTransitiveUsers(
  root: DirectoryGroup,
  groupsById: ReadonlyMap<string, DirectoryGroup>,
  userIds: ReadonlySet<string>,
): string[] {
  const users = new Set<string>();
  const expanded = new Set([root.id]);
  const pending = [root];
  for (let group = pending.pop(); group !== undefined; group = pending.pop()) {
    for (const memberId of group.memberIds) {
      if (userIds.has(memberId)) users.add(memberId);
      else {
        const nested = groupsById.get(memberId);
        if (nested !== undefined && !expanded.has(memberId)) {
          expanded.add(memberId);
          pending.push(nested);
        }
      }
    }
  }
  return [...users].sort();
}

// Few ids, so that cycles, self-references, duplicates and ids naming both a user and a group are common.
const userId = fc.constantFrom('u1', 'u2', 'u10', 'u3', 'x');
const groupId = fc.constantFrom('g1', 'g2', 'g3', 'x');
const directory = fc.record({
  userIds: fc.uniqueArray(userId),
  groups: fc.array(
    fc.record({
      id: groupId,
      memberIds: fc.array(fc.oneof(userId, groupId, fc.constant('nobody')), { maxLength: 8 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

describe('flattening nested groups on ranks', () => {
  it('finds the users a group holds directly or through nested groups, sorted, cycle-safe', () => {
    fc.assert(
      fc.property(directory, ({ userIds, groups }) => {
        const snapshotGroups = groups.map(({ id, memberIds }) => sourceGroup(id, id, memberIds));
        const groupsById = new Map(snapshotGroups.map((group) => [group.id, group]));
        const users = rankIds(userIds);
        const flattener = new GroupFlattener(groupsById, users);
        for (const root of snapshotGroups) {
          const found = listOfRanks(flattener.transitiveUserRanks(root), users.ids);
          expect(found).toEqual(naiveTransitiveUsers(root, groupsById, new Set(userIds)));
        }
      }),
      RUNS,
    );
  });
});

describe('diffMembers', () => {
  const memberList = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'B', 'a1'), { maxLength: 8 });
  const everyone = { canAdd: () => true, canRemove: () => true };

  it('adds and removes the set difference, sorted, whatever the order and repeats of its input', () => {
    fc.assert(
      fc.property(memberList, memberList, (desired, actual) => {
        const delta = diffMembers(desired, actual, everyone);
        expect(delta.add).toEqual([...new Set(desired.filter((id) => !actual.includes(id)))].sort());
        expect(delta.remove).toEqual([...new Set(actual.filter((id) => !desired.includes(id)))].sort());
      }),
      RUNS,
    );
  });

  const ids = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'B', 'a1', 'z'), { minLength: 1 });
  /** Ranks of a subset of `rankedIds`, as a full run hands a platform group's members to the diff. */
  const rankedMembers = (rankedIds: readonly string[], picks: readonly boolean[]): RankedList => ({
    ranks: Int32Array.from(rankedIds.flatMap((_, rank) => (picks[rank] ? [rank] : []))),
    rankedIds,
  });
  /** A list built from ranks, as the engine builds desired members. */
  const rankedSubset = (rankedIds: readonly string[], picks: readonly boolean[]) =>
    listOfRanks(rankedMembers(rankedIds, picks).ranks, rankedIds);
  const picks = fc.array(fc.boolean(), { minLength: 7, maxLength: 7 });

  it('compares lists built from ranks, of one ranking or of two, as it compares plain lists', () => {
    fc.assert(
      fc.property(ids, ids, picks, picks, (sourceIds, managedIds, desiredPicks, actualPicks) => {
        const source = [...sourceIds].sort();
        // The managed ids of a full run hold every source id; without that, the lists fall back to strings.
        for (const managed of [[...new Set([...sourceIds, ...managedIds])].sort(), [...managedIds].sort()]) {
          const desired = rankedSubset(source, desiredPicks);
          for (const actual of [rankedSubset(managed, actualPicks), rankedSubset(source, actualPicks)]) {
            expect(diffMembers(desired, actual, everyone)).toEqual(
              diffMembers([...desired], [...actual], everyone),
            );
          }
        }
      }),
      RUNS,
    );
  });

  it('diffs actual members given as ranks as it diffs them given as ids', () => {
    fc.assert(
      fc.property(
        ids,
        ids,
        picks,
        picks,
        memberList,
        (sourceIds, managedIds, desiredPicks, actualPicks, plain) => {
          const source = [...sourceIds].sort();
          for (const managed of [
            [...new Set([...sourceIds, ...managedIds])].sort(),
            [...managedIds].sort(),
          ]) {
            const actual = rankedMembers(managed, actualPicks);
            const actualIds = Array.from(actual.ranks, (rank) => managed[rank]!);
            for (const desired of [rankedSubset(source, desiredPicks), plain]) {
              expect(diffMemberRanks(desired, actual, everyone)).toEqual(
                diffMembers([...desired], actualIds, everyone),
              );
            }
          }
        },
      ),
      RUNS,
    );
  });
});
