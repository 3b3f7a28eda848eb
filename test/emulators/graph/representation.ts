import type { GraphDirectory } from './directory.js';
import { project } from './odataQuery.js';

/** What Graph returns for a user or group when the request has no `$select`. */
export const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
] as const;

export const DEFAULT_GROUP_PROPERTIES = [
  'displayName',
  'description',
  'groupTypes',
  'mail',
  'mailEnabled',
  'mailNickname',
  'securityEnabled',
] as const;

export const ODATA_TYPE = { user: '#microsoft.graph.user', group: '#microsoft.graph.group' } as const;

export function renderUser(
  directory: GraphDirectory,
  id: string,
  select?: readonly string[],
): Record<string, unknown> {
  return project(id, directory.user(id)?.properties ?? {}, select, DEFAULT_USER_PROPERTIES);
}

export function renderGroup(
  directory: GraphDirectory,
  id: string,
  select?: readonly string[],
): Record<string, unknown> {
  return project(id, directory.group(id)?.properties ?? {}, select, DEFAULT_GROUP_PROPERTIES);
}

/** A member of a directoryObject collection: typed, with the selected properties of its kind. */
export function renderDirectoryObject(
  directory: GraphDirectory,
  id: string,
  select?: readonly string[],
): Record<string, unknown> {
  const kind = directory.liveKind(id) ?? directory.kindEverSeen(id) ?? 'user';
  const body = kind === 'user' ? renderUser(directory, id, select) : renderGroup(directory, id, select);
  return { '@odata.type': ODATA_TYPE[kind], ...body };
}

/**
 * Graph leaves null-valued properties out of list pages and delta items (a single object read by
 * id shows them as `null`): an absent property there says nothing about whether it has a value.
 */
export function withoutNulls(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null));
}
