import type { Membership } from '../model/directory.js';
import type { ScimAttributes } from '../model/scim.js';
import type { DesiredState, DesiredUser } from './desired.js';
import type { Focus } from './focus.js';
import { mergeSorted } from './sortedIds.js';

/** A focus the shell may still widen (retries of objects that failed last time). */
export interface DesiredChanges extends Focus {
  readonly userIds: Set<string>;
  readonly groupIds: Set<string>;
  readonly membershipsAdded: Membership[];
  readonly membershipsRemoved: Membership[];
}

function sameAttributes(left: ScimAttributes, right: ScimAttributes): boolean {
  let count = 0;
  for (const path in left) {
    if (left[path] !== right[path]) return false;
    count++;
  }
  for (const _ in right) count--;
  return count === 0;
}

const sameUser = (left: DesiredUser, right: DesiredUser): boolean =>
  left.inScope === right.inScope &&
  left.state.active === right.state.active &&
  sameAttributes(left.state.attributes, right.state.attributes);

/**
 * What an incremental run must look at between two desired states, in one pass over each:
 * users whose scope or mapped state changed, groups created, renamed or removed, and membership
 * pairs of pushed groups (member lists are sorted, as `computeDesired` makes them).
 */
export function changesBetween(before: DesiredState, after: DesiredState): DesiredChanges {
  const userIds = new Set<string>();
  for (const [id, user] of after.users) {
    const previous = before.users.get(id);
    if (previous === undefined || !sameUser(previous, user)) userIds.add(id);
  }
  for (const id of before.users.keys()) if (!after.users.has(id)) userIds.add(id);

  const groupIds = new Set<string>();
  const membershipsAdded: Membership[] = [];
  const membershipsRemoved: Membership[] = [];
  const noteMemberships = (groupId: string, was: readonly string[], now: readonly string[]) =>
    mergeSorted(
      was,
      now,
      (memberId) => membershipsRemoved.push({ groupId, memberId }),
      (memberId) => membershipsAdded.push({ groupId, memberId }),
    );
  for (const [id, group] of after.groups) {
    const previous = before.groups.get(id);
    if (previous === undefined || previous.displayName !== group.displayName) groupIds.add(id);
    noteMemberships(id, previous?.memberExternalIds ?? [], group.memberExternalIds);
  }
  for (const [id, group] of before.groups) {
    if (after.groups.has(id)) continue;
    groupIds.add(id);
    noteMemberships(id, group.memberExternalIds, []);
  }
  return { userIds, groupIds, membershipsAdded, membershipsRemoved };
}
