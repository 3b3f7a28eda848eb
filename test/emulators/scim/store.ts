import { randomUUID } from 'node:crypto';
import type { Filter } from '../../../src/platform/filter/ast.js';
import { getAttribute, isJsonObject, type JsonObject } from '../../../src/platform/json.js';
import { CORE_GROUP_URN, CORE_USER_URN } from '../../../src/platform/scimSchemas.js';
import { applyPatch, hasSchema } from './patch.js';
import type { ScimQuirks } from './quirks.js';
import { ResourceTable, type StoredResource } from './resourceTable.js';
import { ScimError } from './scimError.js';

export type ResourceType = 'Users' | 'Groups';

/** Attributes a client may not set: the server assigns them or derives them. */
const SERVER_ASSIGNED = ['id', 'meta', 'groups'];

/**
 * The emulated platform's data and rules. Users: userName unique (case-insensitive), 409
 * otherwise. Groups: displayName may repeat (directories have same-named groups), externalId may
 * not. Members must exist; adding a member twice is a no-op; deleting a user or group takes it
 * out of every group.
 */
export class ScimStore {
  readonly #users = new ResourceTable(['userName', 'externalId']);
  readonly #groups = new ResourceTable(['displayName', 'externalId']);
  /** Member id → ids of the groups listing it, so deletes need not scan every group. */
  readonly #groupsOf = new Map<string, Set<string>>();
  #version = 0;
  /** How this server departs from the RFCs; none unless a test says so. */
  quirks: ScimQuirks = {};

  /** Snapshots of every user, for tests to assert on. */
  users(): JsonObject[] {
    return [...this.#users.values()].map((user) => structuredClone(user));
  }

  groups(): JsonObject[] {
    return [...this.#groups.values()].map((group) => structuredClone(group));
  }

  /** Adds a user as if a client POSTed it (schemas may be left out); returns the stored copy. */
  seedUser(resource: JsonObject): JsonObject {
    return structuredClone(this.create('Users', { schemas: [CORE_USER_URN], ...resource }));
  }

  seedGroup(resource: JsonObject): JsonObject {
    return structuredClone(this.create('Groups', { schemas: [CORE_GROUP_URN], ...resource }));
  }

  clear(): void {
    this.#users.clear();
    this.#groups.clear();
    this.#groupsOf.clear();
  }

  query(type: ResourceType, filter?: Filter): readonly string[] {
    return this.#table(type).query(filter, this.quirks.caseExactFilters === true);
  }

  get(type: ResourceType, id: string): StoredResource {
    const resource = this.#table(type).get(id);
    if (resource === undefined) throw new ScimError(404, undefined, `${singular(type)} ${id} not found`);
    return resource;
  }

  create(type: ResourceType, body: unknown): StoredResource {
    const id = randomUUID();
    const now = new Date().toISOString();
    return this.#store(type, id, this.#validated(type, body, id), { created: now, lastModified: now });
  }

  replace(type: ResourceType, id: string, body: unknown): StoredResource {
    const existing = this.get(type, id);
    return this.#store(type, id, this.#validated(type, body, id), this.#timestamps(existing));
  }

  patch(type: ResourceType, id: string, message: unknown): StoredResource {
    const existing = this.get(type, id);
    const patched = applyPatch(existing, message, this.quirks.valuePathWithoutTarget ?? 'create');
    return this.#store(type, id, this.#validated(type, patched, id), this.#timestamps(existing));
  }

  delete(type: ResourceType, id: string): void {
    const removed = this.#table(type).delete(id);
    if (removed === undefined) throw new ScimError(404, undefined, `${singular(type)} ${id} not found`);
    for (const groupId of this.#groupsOf.get(id) ?? []) this.#dropMember(groupId, id);
    this.#groupsOf.delete(id);
    if (type === 'Groups') this.#reindexMembers(id, removed, undefined);
  }

  #table(type: ResourceType): ResourceTable {
    return type === 'Users' ? this.#users : this.#groups;
  }

  #validated(type: ResourceType, body: unknown, id: string): JsonObject {
    if (!isJsonObject(body)) throw new ScimError(400, 'invalidSyntax', 'the body must be a JSON object');
    const schema = type === 'Users' ? CORE_USER_URN : CORE_GROUP_URN;
    if (!hasSchema(body, schema)) throw new ScimError(400, 'invalidSyntax', `schemas must include ${schema}`);
    const resource: JsonObject = { ...body };
    for (const attribute of SERVER_ASSIGNED) delete resource[attribute];
    const externalId = getAttribute(resource, 'externalId');
    if (externalId !== undefined && typeof externalId !== 'string')
      throw new ScimError(400, 'invalidValue', 'externalId must be a string');
    return type === 'Users' ? this.#validUser(resource, id) : this.#validGroup(resource, id);
  }

  #validUser(user: JsonObject, id: string): JsonObject {
    const userName = getAttribute(user, 'userName');
    if (typeof userName !== 'string' || userName.trim() === '')
      throw new ScimError(400, 'invalidValue', 'userName is required');
    if (this.#users.idsWith('userName', userName).some((other) => other !== id))
      throw new ScimError(409, 'uniqueness', `userName ${userName} is already taken`);
    return { ...user, active: activeFlag(getAttribute(user, 'active')) };
  }

  #validGroup(group: JsonObject, id: string): JsonObject {
    const displayName = getAttribute(group, 'displayName');
    if (typeof displayName !== 'string' || displayName.trim() === '')
      throw new ScimError(400, 'invalidValue', 'displayName is required');
    const externalId = getAttribute(group, 'externalId');
    if (
      typeof externalId === 'string' &&
      this.#groups.idsWith('externalId', externalId).some((other) => other !== id)
    )
      throw new ScimError(409, 'uniqueness', `a group with externalId ${externalId} exists already`);
    return { ...group, members: this.#validMembers(getAttribute(group, 'members') ?? [], id) };
  }

  /** Members already in the group are known to exist (deletes take them out): only new ones are looked up. */
  #validMembers(members: unknown, groupId: string): JsonObject[] {
    if (!Array.isArray(members)) throw new ScimError(400, 'invalidValue', 'members must be an array');
    const current = this.#groups.get(groupId);
    const known = new Map<unknown, unknown>(
      (Array.isArray(current?.members) ? current.members : []).map((member) => [
        isJsonObject(member) ? member.value : undefined,
        member,
      ]),
    );
    const unique = new Map<string, JsonObject>();
    for (const member of members) {
      const value = isJsonObject(member) ? member.value : undefined;
      if (typeof value !== 'string')
        throw new ScimError(400, 'invalidValue', 'each member needs a string value');
      if (unique.has(value)) continue;
      const existing = known.get(value);
      unique.set(
        value,
        isJsonObject(existing) ? existing : { value, type: this.#memberType(value, groupId) },
      );
    }
    return [...unique.values()];
  }

  #memberType(value: string, groupId: string): 'User' | 'Group' {
    if (this.#users.get(value)) return 'User';
    if (value !== groupId && this.#groups.get(value)) return 'Group';
    throw new ScimError(400, 'invalidValue', `member ${value} does not exist`);
  }

  #timestamps(existing: StoredResource): { created: string; lastModified: string } {
    const meta = isJsonObject(existing.meta) ? existing.meta : {};
    const created = typeof meta.created === 'string' ? meta.created : new Date().toISOString();
    return { created, lastModified: new Date().toISOString() };
  }

  #store(
    type: ResourceType,
    id: string,
    resource: JsonObject,
    times: { created: string; lastModified: string },
  ): StoredResource {
    const stored: StoredResource = { ...resource, id, meta: this.#meta(type, times) };
    if (type === 'Groups') this.#reindexMembers(id, this.#groups.get(id), stored);
    this.#table(type).put(stored);
    return stored;
  }

  #reindexMembers(groupId: string, before: JsonObject | undefined, after: JsonObject | undefined): void {
    const previous = memberIds(before);
    const next = memberIds(after);
    for (const memberId of previous) {
      if (next.has(memberId)) continue;
      const groups = this.#groupsOf.get(memberId);
      groups?.delete(groupId);
      if (groups?.size === 0) this.#groupsOf.delete(memberId);
    }
    for (const memberId of next) {
      if (previous.has(memberId)) continue;
      const groups = this.#groupsOf.get(memberId) ?? new Set<string>();
      groups.add(groupId);
      this.#groupsOf.set(memberId, groups);
    }
  }

  #dropMember(groupId: string, memberId: string): void {
    const group = this.#groups.get(groupId);
    if (group === undefined) return;
    const members = Array.isArray(group.members) ? group.members : [];
    this.#groups.put({
      ...group,
      members: members.filter((member) => !isJsonObject(member) || member.value !== memberId),
      meta: this.#meta('Groups', this.#timestamps(group)),
    });
  }

  #meta(type: ResourceType, times: { created: string; lastModified: string }): JsonObject {
    return { resourceType: singular(type), ...times, version: `W/"${++this.#version}"` };
  }
}

function memberIds(group: JsonObject | undefined): Set<string> {
  const members = group && Array.isArray(group.members) ? group.members : [];
  return new Set(
    members.flatMap((member) =>
      isJsonObject(member) && typeof member.value === 'string' ? [member.value] : [],
    ),
  );
}

function activeFlag(value: unknown): boolean {
  if (value === undefined || value === true || value === false) return value !== false;
  if (typeof value === 'string' && ['true', 'false'].includes(value.toLowerCase()))
    return value.toLowerCase() === 'true';
  throw new ScimError(400, 'invalidValue', 'active must be a boolean');
}

function singular(type: ResourceType): string {
  return type === 'Users' ? 'User' : 'Group';
}
