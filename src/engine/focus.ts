import type { Membership } from '../model/directory.js';
import type { GroupQuery, UserQuery } from '../model/platform.js';
import type { PlatformUser } from '../model/scim.js';
import type { DesiredState } from './desired.js';
import { indexUsers, USER_NAME_PATH, WORK_EMAIL_PATH } from './match.js';
import type { MatchMethod } from './settings.js';

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
 * The platform objects a focused plan needs, as queries: the focused users by externalId, and
 * those in scope by userName too (the adoption candidates by email come in a second round:
 * {@link emailsToLookUp});
 * the inactive users it may add to a group (the added pairs' and the focused groups'), since only
 * the platform knows whether such a user has an account (an active one is assumed to); the focused
 * groups with their candidates, and the groups of the pairs (so that member ops carry targetIds).
 * Reading also the users behind the member ids of the focused groups lets the plan remove their
 * stale members (an adopted group's, say); without them those wait for a full run.
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
  for (const id of focus.userIds) {
    const user = desired.users.get(id);
    const userName = user?.state.attributes[USER_NAME_PATH];
    // A user out of scope keeps its account, if any, by externalId, and neither adopts nor is created.
    if (user?.inScope === true && userName !== undefined) userNames.add(userName);
  }
  const displayNames = new Set<string>();
  for (const id of focus.groupIds) {
    const group = desired.groups.get(id);
    if (group === undefined) continue;
    displayNames.add(group.displayName);
    for (const memberId of group.memberExternalIds) noteMember(memberId);
  }
  return {
    users: { externalIds: [...userIds].sort(), userNames: [...userNames].sort() },
    groups: { externalIds: [...groupIds].sort(), displayNames: [...displayNames].sort() },
  };
}

/**
 * The work emails of the focused users whose match only an email lookup can still decide, once
 * the platform users found by {@link platformQueriesFor} are in: users that may adopt an account
 * (in scope), linked by no externalId and, when `matching` tries userName before email, with no
 * unlinked account of their userName either, which the match would take first. A platform whose
 * filters refuse `emails.value` answers an email lookup with a read of every user, so a run whose
 * changed users all have their account asks none. Sorted, like the first round.
 */
export function emailsToLookUp(
  desired: DesiredState,
  focus: Focus,
  matching: readonly MatchMethod[],
  found: readonly PlatformUser[],
): string[] {
  const emailAt = matching.indexOf('email');
  if (emailAt === -1) return [];
  // The match tries the methods in the tenant's order: a userName tried first settles the user.
  const userNameFirst = matching.slice(0, emailAt).includes('userName');
  const index = indexUsers(found);
  const adoptsByUserName = (userName: string | undefined) =>
    userName !== undefined && index.userCandidatesByUserName.has(userName.toLowerCase());
  const emails = new Set<string>();
  for (const id of focus.userIds) {
    const user = desired.users.get(id);
    const email = user?.state.attributes[WORK_EMAIL_PATH];
    if (user?.inScope !== true || email === undefined || index.usersByExternalId.has(id)) continue;
    if (userNameFirst && adoptsByUserName(user.state.attributes[USER_NAME_PATH])) continue;
    emails.add(email);
  }
  return [...emails].sort();
}
