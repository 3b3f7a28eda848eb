import { type CreatedResource, PlatformError } from '../model/platform.js';
import type { PlatformGroup, PlatformUser } from '../model/scim.js';
import { isJsonObject, type JsonObject } from './json.js';
import type { Page } from './paging.js';
import { flattenScimResource } from './scimResource.js';

/** Reads what a platform answered into the model's shapes; a malformed answer is a PlatformError. */
export function parseUser(resource: unknown): PlatformUser {
  const object = resourceObject(resource, 'User');
  return {
    id: object.id,
    ...(typeof object.externalId === 'string' && { externalId: object.externalId }),
    active: !isFalse(object.active),
    attributes: flattenScimResource(object),
  };
}

/** A resource as the server sent it, checked only for its id: lookups compare it before parsing it. */
export type RawResource = JsonObject & { id: string };

export function rawResource(resource: unknown): RawResource {
  return resourceObject(resource, 'resource');
}

/** A create's answer: only its id is used. */
export function parseCreated(resource: unknown, kind: 'User' | 'Group'): CreatedResource {
  return { id: resourceObject(resource, kind).id };
}

export function parseGroup(resource: unknown): PlatformGroup {
  const object = resourceObject(resource, 'Group');
  const members = Array.isArray(object.members) ? object.members : [];
  return {
    id: object.id,
    ...(typeof object.externalId === 'string' && { externalId: object.externalId }),
    displayName: typeof object.displayName === 'string' ? object.displayName : '',
    memberIds: members.flatMap((member) =>
      isJsonObject(member) && typeof member.value === 'string' ? [member.value] : [],
    ),
  };
}

export function parseListResponse<T>(body: unknown, parse: (resource: unknown) => T): Page<T> {
  if (!isJsonObject(body) || typeof body.totalResults !== 'number')
    throw new PlatformError('SCIM list answer is not a ListResponse with totalResults', 502);
  const resources = Array.isArray(body.Resources) ? body.Resources : [];
  return { totalResults: body.totalResults, resources: resources.map(parse) };
}

/** Absent `active` means active; some providers send the strings "True"/"False". */
function isFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'false');
}

function resourceObject(resource: unknown, kind: string): JsonObject & { id: string } {
  if (!isJsonObject(resource) || typeof resource.id !== 'string')
    throw new PlatformError(`SCIM ${kind} answer has no id`, 502);
  return resource as JsonObject & { id: string };
}
