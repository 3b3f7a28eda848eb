import type { AttributeChange } from '../model/plan.js';
import type { PlatformUser, ScimAttributes, ScimPath, ScimUserState } from '../model/scim.js';
import { type MergeSide, mergeRanked, type RankedList, rankedListOf } from './rankedLists.js';
import { asSortedUnique, mergeSorted } from './sortedIds.js';

const valueAt = (attributes: ScimAttributes, path: ScimPath): string | undefined =>
  Object.hasOwn(attributes, path) ? attributes[path] : undefined;

/** DIFF of the mapped paths only: a desired path that is absent while the platform has it is a removal. */
function pushAttributeChanges(
  into: AttributeChange[],
  desired: ScimAttributes,
  actual: ScimAttributes,
  paths: readonly ScimPath[],
): AttributeChange[] {
  for (const path of paths) {
    // Most paths are unchanged: equal strings are own values on both sides (a plain object's prototype
    // holds no strings), so they are settled without the slower own-property checks.
    const shared = desired[path];
    if (typeof shared === 'string' && shared === actual[path]) continue;
    const to = valueAt(desired, path);
    const from = valueAt(actual, path);
    if (to === from) continue;
    if (to === undefined) into.push({ path, from });
    else if (from === undefined) into.push({ path, to });
    else into.push({ path, from, to });
  }
  return into;
}

/**
 * Every change that brings a platform user to the desired state: the externalId when the user is
 * being adopted, the mapped attributes, then `active`. Shared by the planner and the op worker.
 */
export function userChanges(
  desired: ScimUserState,
  actual: PlatformUser,
  paths: readonly ScimPath[],
): AttributeChange[] {
  const changes: AttributeChange[] =
    actual.externalId === desired.externalId
      ? []
      : [
          actual.externalId
            ? { path: 'externalId', from: actual.externalId, to: desired.externalId }
            : { path: 'externalId', to: desired.externalId },
        ];
  pushAttributeChanges(changes, desired.attributes, actual.attributes, paths);
  if (desired.active !== actual.active)
    changes.push({ path: 'active', from: actual.active, to: desired.active });
  return changes;
}

export interface MemberDelta {
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

export interface MemberRules {
  /**
   * Whether the user exists, or will, on the platform, so that it can be added. A diff on ranks
   * says where the id sits in the sorted list it was ranked in, which spares a search for it.
   */
  readonly canAdd: (externalId: string, rank?: number, rankedIds?: readonly string[]) => boolean;
  /** Whether removing the user is worth a call (not for users this plan deletes anyway). */
  readonly canRemove: (externalId: string) => boolean;
}

type Walk = (onlyActual: MergeSide, onlyDesired: MergeSide) => void;

/** The delta a walk over both member lists finds, kept to what the rules allow. */
function memberDelta(rules: MemberRules, walk: Walk): MemberDelta {
  const add: string[] = [];
  const remove: string[] = [];
  walk(
    (externalId) => {
      if (rules.canRemove(externalId)) remove.push(externalId);
    },
    (externalId, rank, rankedIds) => {
      if (rules.canAdd(externalId, rank, rankedIds)) add.push(externalId);
    },
  );
  return { add, remove };
}

/**
 * DIFF of a group's members, both sides as externalIds; `actual` holds managed users only. Sorted
 * merge instead of sets: a full run compares a million memberships, and hashing each is the cost;
 * on ranks when the engine built both lists.
 */
export function diffMembers(
  desired: readonly string[],
  actual: readonly string[],
  rules: MemberRules,
): MemberDelta {
  return memberDelta(rules, (onlyActual, onlyDesired) => {
    const actualRanks = rankedListOf(actual);
    const desiredRanks = rankedListOf(desired);
    if (actualRanks && desiredRanks && mergeRanked(actualRanks, desiredRanks, onlyActual, onlyDesired))
      return;
    mergeSorted(asSortedUnique(actual), asSortedUnique(desired), onlyActual, onlyDesired);
  });
}

/** `diffMembers` with the actual members as ranks, which then never need to become ids. */
export function diffMemberRanks(
  desired: readonly string[],
  actual: RankedList,
  rules: MemberRules,
): MemberDelta {
  return memberDelta(rules, (onlyActual, onlyDesired) => {
    const desiredRanks = rankedListOf(desired);
    if (desiredRanks && mergeRanked(actual, desiredRanks, onlyActual, onlyDesired)) return;
    const actualIds = Array.from(actual.ranks, (rank) => actual.rankedIds[rank]!);
    mergeSorted(actualIds, asSortedUnique(desired), onlyActual, onlyDesired);
  });
}
