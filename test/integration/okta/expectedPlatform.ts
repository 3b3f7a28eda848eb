import type { OktaDirectory, SeedUser } from '../../emulators/okta/index.js';
import type { PlatformView, UserView } from '../../support/scimState.js';

/**
 * The reference the pipeline is checked against: what the platform must hold for an Okta
 * directory in `app` scope, written straight from the README ("Default mapping", "How a run works") without any of dirsync's code.
 * Okta groups do not nest, so a group's members are its direct members.
 */
export type { PlatformView };

const EMPTY_PLATFORM: PlatformView = { users: [], groups: [] };

/** These may sign in (README, "What each source needs"); SUSPENDED, DEPROVISIONED and (by the default rule) STAGED, PROVISIONED may not. */
const ACTIVE_STATUSES: ReadonlySet<string> = new Set([
  'ACTIVE',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'RECOVERY',
]);

/** Users assigned to the app directly or through an assigned group (`app` scope). */
export function usersInAppScope(directory: OktaDirectory, appId: string): Set<string> {
  const app = directory.apps.find((candidate) => candidate.id === appId);
  if (!app) throw new Error(`the directory has no app ${appId}`);
  const known = new Set(directory.users.map((user) => user.id));
  const viaGroups = directory.groups
    .filter((group) => app.groupIds.includes(group.id))
    .flatMap((group) => group.memberIds);
  return new Set([...app.userIds, ...viaGroups].filter((id) => known.has(id)));
}

/**
 * The platform after a run that converged, given what it held before: in-scope users as mapped
 * (an inactive one only if it already had an account), accounts of users gone from scope or
 * from Okta deactivated as they were, and the app's groups with their in-scope members that
 * have an account.
 */
export function expectedPlatform(
  directory: OktaDirectory,
  appId: string,
  previous: PlatformView = EMPTY_PLATFORM,
): PlatformView {
  const inScope = usersInAppScope(directory, appId);
  const hadAccount = new Map(previous.users.map((user) => [user.externalId, user]));
  const users = new Map<string, UserView>();
  for (const user of directory.users) {
    if (!inScope.has(user.id)) continue;
    const active = ACTIVE_STATUSES.has(user.status);
    if (active || hadAccount.has(user.id)) users.set(user.id, mappedUser(user, active));
  }
  for (const [externalId, account] of hadAccount) {
    if (externalId !== undefined && !users.has(externalId))
      users.set(externalId, { ...account, active: false });
  }
  const app = directory.apps.find((candidate) => candidate.id === appId);
  const groups = directory.groups
    .filter((group) => app?.groupIds.includes(group.id))
    .map((group) => ({
      displayName: group.name,
      externalId: group.id,
      members: group.memberIds
        .flatMap((id) => (inScope.has(id) ? (users.get(id)?.userName ?? []) : []))
        .sort(),
    }));
  return {
    users: [...users.values()].sort((left, right) => left.userName.localeCompare(right.userName)),
    groups: groups.sort((left, right) => left.displayName.localeCompare(right.displayName)),
  };
}

/** README "Default mapping", Okta column; an empty or absent attribute is left out. */
function mappedUser(user: SeedUser, active: boolean): UserView {
  const profile = user.profile;
  const fullName = [profile.firstName, profile.lastName].filter(Boolean).join(' ');
  const view: Record<string, string | boolean | undefined> = {
    userName: profile.login,
    externalId: user.id,
    active,
    givenName: profile.firstName,
    familyName: profile.lastName,
    displayName: profile.displayName || fullName,
    email: profile.email,
    title: profile.title,
    department: profile.department,
    employeeNumber: profile.employeeNumber,
  };
  return Object.fromEntries(
    Object.entries(view).filter(([, value]) => value !== undefined && value !== ''),
  ) as unknown as UserView;
}
