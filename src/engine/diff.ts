import type { AttributeChange } from '../model/plan.js';
import type { PlatformUser, ScimAttributes, ScimPath, ScimUserState } from '../model/scim.js';
import { mergeRanked } from './rankedLists.js';
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
  /** Whether the user exists, or will, on the platform, so that it can be added. */
  readonly canAdd: (externalId: string) => boolean;
  /** Whether removing the user is worth a call (not for users this plan deletes anyway). */
  readonly canRemove: (externalId: string) => boolean;
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
  const add: string[] = [];
  const remove: string[] = [];
  const onlyActual = (externalId: string) => {
    if (rules.canRemove(externalId)) remove.push(externalId);
  };
  const onlyDesired = (externalId: string) => {
    if (rules.canAdd(externalId)) add.push(externalId);
  };
  if (!mergeRanked(actual, desired, onlyActual, onlyDesired)) {
    mergeSorted(asSortedUnique(actual), asSortedUnique(desired), onlyActual, onlyDesired);
  }
  return { add, remove };
}
