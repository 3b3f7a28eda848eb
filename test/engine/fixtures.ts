import type { OwnedExternalIds } from '../../src/engine/index.js';
import type { EngineSettings } from '../../src/engine/settings.js';
import type { AttributeValue, DirectoryGroup, DirectoryUser } from '../../src/model/directory.js';
import { ENTERPRISE_USER_URN, type PlatformGroup, type PlatformUser } from '../../src/model/scim.js';

export const EMAIL = 'emails[type eq "work"].value';
export const DEPARTMENT = `${ENTERPRISE_USER_URN}:department`;

/** The file connector's default mapping (README, "Default mapping"), as the shell would merge it. */
export const FILE_MAPPING: Readonly<Record<string, string>> = {
  externalId: 'id',
  userName: 'userName',
  'name.givenName': 'givenName',
  'name.familyName': 'familyName',
  displayName: 'displayName',
  [EMAIL]: 'email',
  active: 'active',
  title: 'title',
  [DEPARTMENT]: 'department',
};

export function settings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  return {
    scope: { mode: 'all' },
    filters: [],
    userMapping: FILE_MAPPING,
    matching: ['externalId', 'userName', 'email'],
    deprovision: 'deactivate',
    skipOutOfScopeDeletions: false,
    membersPerPatch: 100,
    ...overrides,
  };
}

export function sourceUser(
  id: string,
  attributes: Record<string, AttributeValue> = {},
  active = true,
): DirectoryUser {
  return { id, active, attributes: { userName: `${id}@example.com`, ...attributes } };
}

export function sourceGroup(
  id: string,
  displayName: string,
  memberIds: readonly string[] = [],
): DirectoryGroup {
  return { id, displayName, attributes: {}, memberIds };
}

export function platformUser(
  id: string,
  externalId: string | undefined,
  attributes: Record<string, string>,
  active = true,
): PlatformUser {
  return externalId === undefined ? { id, active, attributes } : { id, externalId, active, attributes };
}

export function platformGroup(
  id: string,
  externalId: string | undefined,
  displayName: string,
  memberIds: readonly string[] = [],
): PlatformGroup {
  return externalId === undefined
    ? { id, displayName, memberIds }
    : { id, externalId, displayName, memberIds };
}

export function owned(users: readonly string[] = [], groups: readonly string[] = []): OwnedExternalIds {
  return { users: new Set(users), groups: new Set(groups) };
}
