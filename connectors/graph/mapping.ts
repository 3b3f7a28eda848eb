import type { AttributeValue, DirectoryGroup, DirectoryUser } from '../../src/model/directory.js';
import { ENTERPRISE_USER_URN, type ScimPath } from '../../src/model/scim.js';

/** README "Default mapping", Graph column: SCIM attribute path → Microsoft Graph user property. */
export const graphUserMapping: Readonly<Record<ScimPath, string>> = {
  userName: 'userPrincipalName',
  'name.givenName': 'givenName',
  'name.familyName': 'surname',
  displayName: 'displayName',
  'emails[type eq "work"].value': 'mail',
  title: 'jobTitle',
  [`${ENTERPRISE_USER_URN}:department`]: 'department',
  [`${ENTERPRISE_USER_URN}:employeeNumber`]: 'employeeId',
};

/** Group properties read; the only one a SCIM group carries besides its members. */
export const GRAPH_GROUP_PROPERTIES = ['id', 'displayName'] as const;

/**
 * The `$select` for users: id, accountEnabled (not in Graph's default set: without it every user
 * would look enabled), the mapped properties, and any extra ones (mapping overrides, filters).
 * A dotted name (`onPremisesExtensionAttributes.extensionAttribute1`) selects its top-level property.
 */
export function userProperties(extra: readonly string[] = []): string[] {
  const names = ['id', 'accountEnabled', ...Object.values(graphUserMapping), ...extra];
  return [...new Set(names.map((name) => name.split('.')[0] ?? name))];
}

/** A Graph user object as the common model holds it; null, empty and unselected values are left out. */
export function toDirectoryUser(user: Readonly<Record<string, unknown>>): DirectoryUser {
  const id = user.id;
  if (typeof id !== 'string' || id === '') throw new Error('Graph returned a user without an id');
  return mergeUserItem({ id, active: true, attributes: {} }, user);
}

/**
 * A user's record with a delta item applied onto it. An item carries only some properties: one it
 * leaves out is unchanged, one it gives as `null` (or empty) is cleared, and a complex one
 * (`onPremisesExtensionAttributes`) comes whole, replacing every part of it.
 */
export function mergeUserItem(record: DirectoryUser, item: Readonly<Record<string, unknown>>): DirectoryUser {
  const attributes: Record<string, AttributeValue> = { ...record.attributes };
  for (const [name, value] of Object.entries(item)) {
    if (name === 'id' || name.startsWith('@')) continue;
    delete attributes[name];
    for (const key of Object.keys(attributes)) if (key.startsWith(`${name}.`)) delete attributes[key];
    addAttribute(attributes, name, value);
  }
  return { id: record.id, active: attributes.accountEnabled !== false, attributes };
}

export function toDirectoryGroup(
  group: Readonly<Record<string, unknown>>,
  memberIds: readonly string[],
): DirectoryGroup {
  const { id, displayName } = group;
  if (typeof id !== 'string' || id === '') throw new Error('Graph returned a group without an id');
  const name = typeof displayName === 'string' ? displayName : '';
  return { id, displayName: name, attributes: name === '' ? {} : { displayName: name }, memberIds };
}

/** Scalars as they are; one level of nested object flattened to dotted names (extension attributes). */
function addAttribute(attributes: Record<string, AttributeValue>, name: string, value: unknown): void {
  if (typeof value === 'string') {
    if (value !== '') attributes[name] = value;
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    attributes[name] = value;
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && !name.includes('.')) {
    for (const [inner, innerValue] of Object.entries(value))
      addAttribute(attributes, `${name}.${inner}`, innerValue);
  }
}
