import type { Membership } from '../model/directory.js';
import type { GroupQuery, UserQuery } from '../model/platform.js';
import type { DesiredState } from './desired.js';
import { USER_NAME_PATH, WORK_EMAIL_PATH } from './match.js';

/**
 * What a focused plan looks at: the users and groups whose desired state changed (or that an
 * operator named), and membership pairs of pushed groups, flattened, in-scope users only.
 */
export interface Focus {
  readonly userIds: ReadonlySet<string>;
  /** Groups created, renamed or removed. */
  readonly groupIds: ReadonlySet<string>;
  readonly membershipsAdded: readonly Membership[];
  readonly membershipsRemoved: readonly Membership[];
}

/**
 * The focus of on-demand provisioning: the named users and groups, every in-scope member of a
 * named group, and the pushed-group memberships of all of them: the plan drops those the platform
 * group already lists.
 */
export function focusOnSubjects(
  desired: DesiredState,
  subjects: { readonly userIds: Iterable<string>; readonly groupIds: Iterable<string> },
): Focus {
  const userIds = new Set(subjects.userIds);
  const groupIds = new Set(subjects.groupIds);
  for (const groupId of groupIds) {
    for (const memberId of desired.groups.get(groupId)?.memberExternalIds ?? []) userIds.add(memberId);
  }
  const membershipsAdded: Membership[] = [];
  for (const [groupId, group] of desired.groups) {
    for (const memberId of group.memberExternalIds) {
      if (userIds.has(memberId)) membershipsAdded.push({ groupId, memberId });
    }
  }
  return { userIds, groupIds, membershipsAdded, membershipsRemoved: [] };
}

/**
 * The platform objects a focused plan needs, as queries: the focused users and their adoption
 * candidates; the inactive users it may add to a group (the added pairs' and the focused groups'),
 * since only the platform knows whether such a user has an account (an active one is assumed to);
 * the focused groups with their candidates, and the groups of the pairs (so that member ops carry
 * targetIds). Reading also the users behind the member ids of the focused groups lets the plan
 * remove their stale members (an adopted group's, say); without them those wait for a full run.
 */
export function platformQueriesFor(
  desired: DesiredState,
  focus: Focus,
): { readonly users: UserQuery; readonly groups: GroupQuery } {
  const userIds = new Set(focus.userIds);
  const groupIds = new Set(focus.groupIds);
  const noteMember = (memberId: string) => {
    if (desired.users.get(memberId)?.state.active === false) userIds.add(memberId);
  };
  for (const { groupId, memberId } of focus.membershipsAdded) {
    noteMember(memberId);
    groupIds.add(groupId);
  }
  for (const { groupId } of focus.membershipsRemoved) groupIds.add(groupId);
  const userNames = new Set<string>();
  const emails = new Set<string>();
  for (const id of focus.userIds) {
    const attributes = desired.users.get(id)?.state.attributes;
    const userName = attributes?.[USER_NAME_PATH];
    const email = attributes?.[WORK_EMAIL_PATH];
    if (userName !== undefined) userNames.add(userName);
    if (email !== undefined) emails.add(email);
  }
  const displayNames = new Set<string>();
  for (const id of focus.groupIds) {
    const group = desired.groups.get(id);
    if (group === undefined) continue;
    displayNames.add(group.displayName);
    for (const memberId of group.memberExternalIds) noteMember(memberId);
  }
  return {
    users: { externalIds: [...userIds].sort(), userNames: [...userNames].sort(), emails: [...emails].sort() },
    groups: { externalIds: [...groupIds].sort(), displayNames: [...displayNames].sort() },
  };
}
