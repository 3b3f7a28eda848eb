import type { AttributeValue, DirectoryGroup, DirectoryUser } from '../../src/model/directory.js';
import { ENTERPRISE_USER_URN, type ScimPath } from '../../src/model/scim.js';

/** README "Default mapping", Okta column: SCIM attribute path → Okta attribute, as the connector names them in `attributes` (externalId is always the object id). */
export const oktaUserMapping: Readonly<Record<ScimPath, string>> = {
  userName: 'profile.login',
  'name.givenName': 'profile.firstName',
  'name.familyName': 'profile.lastName',
  displayName: 'profile.displayName',
  'emails[type eq "work"].value': 'profile.email',
  title: 'profile.title',
  [`${ENTERPRISE_USER_URN}:department`]: 'profile.department',
  [`${ENTERPRISE_USER_URN}:employeeNumber`]: 'profile.employeeNumber',
};

/** What to do with users who were created but never activated (STAGED, PROVISIONED). */
export type PendingUsersRule = 'inactive' | 'active' | 'skip';

const ACTIVE_STATUSES = new Set(['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY']);
const PENDING_STATUSES = new Set(['STAGED', 'PROVISIONED']);

/** The parts of an Okta user this connector reads; the SDK model and raw JSON both fit. */
export interface OktaUserRecord {
  readonly id?: string;
  readonly status?: string;
  readonly profile?: object | null;
}

export interface OktaGroupRecord {
  readonly id?: string;
  readonly type?: string;
  readonly profile?: { readonly name?: string; readonly description?: string | null } | null;
}

/**
 * Whether an Okta status may sign in, or `undefined` when the user is left out of the snapshot.
 * Unknown statuses (Okta adds some now and then) count as inactive: never grant access by guess.
 */
export function isActiveStatus(status: string, pendingUsers: PendingUsersRule): boolean | undefined {
  if (ACTIVE_STATUSES.has(status)) return true;
  if (PENDING_STATUSES.has(status)) {
    return pendingUsers === 'skip' ? undefined : pendingUsers === 'active';
  }
  return false;
}

/** An Okta user as the common model holds it, or `undefined` when the pending-users rule skips it. */
export function toDirectoryUser(
  user: OktaUserRecord,
  pendingUsers: PendingUsersRule,
): DirectoryUser | undefined {
  if (!user.id) throw new Error('Okta returned a user without an id');
  const status = user.status ?? 'UNKNOWN';
  const active = isActiveStatus(status, pendingUsers);
  if (active === undefined) return undefined;
  const attributes: Record<string, AttributeValue> = { id: user.id, status };
  for (const [name, value] of Object.entries(user.profile ?? {})) {
    const attribute = attributeValue(value);
    if (attribute !== undefined) attributes[`profile.${name}`] = attribute;
  }
  const fullName = [attributes['profile.firstName'], attributes['profile.lastName']]
    .filter((part) => part !== undefined)
    .join(' ');
  if (attributes['profile.displayName'] === undefined && fullName !== '') {
    attributes['profile.displayName'] = fullName;
  }
  return { id: user.id, active, attributes };
}

export function toDirectoryGroup(group: OktaGroupRecord, memberIds: readonly string[]): DirectoryGroup {
  return { ...toDirectoryGroupAttributes(group), memberIds };
}

/** A group's own data, without members (what an incremental read reports for a renamed group). */
export function toDirectoryGroupAttributes(group: OktaGroupRecord): Omit<DirectoryGroup, 'memberIds'> {
  if (!group.id) throw new Error('Okta returned a group without an id');
  const displayName = group.profile?.name ?? group.id;
  const attributes: Record<string, AttributeValue> = { id: group.id, 'profile.name': displayName };
  if (group.type) attributes.type = group.type;
  const description = attributeValue(group.profile?.description);
  if (description !== undefined) attributes['profile.description'] = description;
  return { id: group.id, displayName, attributes };
}

/** Empty values are absent; dates become ISO text; lists and objects are not attributes. */
function attributeValue(value: unknown): AttributeValue | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return undefined;
}
