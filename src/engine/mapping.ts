import type { DirectoryGroup, DirectoryUser } from '../model/directory.js';
import type { ScimGroupState, ScimPath, ScimUserState } from '../model/scim.js';
import { attributeText } from './attributes.js';

/** Paths the engine derives from the source object itself, whatever the mapping table says. */
const IDENTITY_PATHS: ReadonlySet<ScimPath> = new Set(['externalId', 'active']);

/** The SCIM paths a mapping table writes, the only ones the engine ever compares or changes. */
export function mappedPaths(userMapping: Readonly<Record<ScimPath, string>>): ScimPath[] {
  return Object.keys(userMapping).filter((path) => !IDENTITY_PATHS.has(path));
}

/** MAP: a source user as the SCIM user it should be; empty or absent source values are left out. */
export function mapUser(user: DirectoryUser, userMapping: Readonly<Record<ScimPath, string>>): ScimUserState {
  return userMapper(userMapping)(user);
}

/** `mapUser` for many users: the mapping table is read once rather than once per user. */
export function userMapper(
  userMapping: Readonly<Record<ScimPath, string>>,
): (user: DirectoryUser) => ScimUserState {
  const sources: (readonly [ScimPath, string])[] = [];
  for (const path in userMapping) {
    const sourceName = userMapping[path];
    if (sourceName !== undefined && !IDENTITY_PATHS.has(path)) sources.push([path, sourceName]);
  }
  return (user) => {
    const attributes: Record<ScimPath, string> = {};
    for (const [path, sourceName] of sources) {
      const value = attributeText(user.attributes, sourceName);
      if (value !== undefined) attributes[path] = value;
    }
    return { externalId: user.id, active: user.active, attributes };
  };
}

export function mapGroup(group: DirectoryGroup, memberExternalIds: readonly string[]): ScimGroupState {
  return { externalId: group.id, displayName: group.displayName, memberExternalIds };
}
