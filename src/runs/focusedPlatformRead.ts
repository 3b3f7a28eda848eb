import {
  type DesiredState,
  emailsToLookUp,
  type Focus,
  type MatchMethod,
  platformQueriesFor,
} from '../engine/index.js';
import type { GroupQuery, LookupObserver, Platform, UserQuery } from '../model/platform.js';
import type { PlatformState, PlatformUser } from '../model/scim.js';

/**
 * The platform objects a focused plan (an incremental run, provision on demand, explain) decides
 * over: users by externalId and userName alongside the groups, then by email only the users the
 * first round found no account for, so that a run whose users all have one sends no email filter
 * (which some platforms answer only by reading every user).
 */
export async function readFocusedPlatform(
  platform: Platform,
  desired: DesiredState,
  focus: Focus,
  matching: readonly MatchMethod[],
  observe?: LookupObserver,
): Promise<PlatformState> {
  const queries = platformQueriesFor(desired, focus);
  const emailRound = (found: readonly PlatformUser[]) => ({
    emails: emailsToLookUp(desired, focus, matching, found),
  });
  const [users, groups] = await Promise.all([
    hasValues(queries.users) ? platform.findUsers(queries.users, observe, emailRound) : [],
    hasValues(queries.groups) ? platform.findGroups(queries.groups, observe) : [],
  ]);
  return { users, groups };
}

function hasValues(query: UserQuery | GroupQuery): boolean {
  return Object.values(query).some((values) => (values?.length ?? 0) > 0);
}
