import { randomUUID } from 'node:crypto';

/**
 * The emulated Entra tenant: users, groups, memberships and one enterprise app's assignments, with
 * an append-only change log that delta queries read. Each mutation appends the objects it touched;
 * a delta round returns the latest state of every object touched in its window, so nothing changed
 * while a client was paging is ever lost (it is replayed in the next round instead).
 */
export type GraphProperties = Record<string, unknown>;
export type ObjectKind = 'user' | 'group';

export type UserInput = { readonly id?: string; readonly userPrincipalName: string } & GraphProperties;
export type GroupInput = { readonly id?: string; readonly displayName: string } & GraphProperties;

export interface StoredUser {
  readonly id: string;
  readonly properties: GraphProperties;
  softDeleted: boolean;
}

export interface StoredGroup {
  readonly id: string;
  readonly properties: GraphProperties;
  readonly members: Set<string>;
}

export interface AppRoleAssignment {
  readonly id: string;
  readonly principalId: string;
  readonly principalType: 'User' | 'Group';
  readonly principalDisplayName: string;
  readonly appRoleId: string;
  readonly resourceId: string;
  readonly resourceDisplayName: string;
  readonly createdDateTime: string;
}

export interface ServicePrincipal {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
}

/**
 * One logged change. `properties` names what an update set (a cleared property included); without
 * it the whole object changed: created, restored or deleted.
 */
export type ChangeEntry =
  | { readonly kind: 'user' | 'group'; readonly id: string; readonly properties?: readonly string[] }
  | { readonly kind: 'member'; readonly groupId: string; readonly memberId: string };

/** How expired delta tokens are refused: Graph's `syncStateNotFound` error, or `410 Gone`. */
export type DeltaExpiry = 'syncStateNotFound' | 'gone';

export interface DirectoryCounts {
  readonly users: number;
  readonly softDeletedUsers: number;
  readonly groups: number;
  readonly memberships: number;
  readonly assignments: number;
}

/** A directory in plain data, as `generateGraphDirectory` makes it and `load` takes it. */
export interface DirectoryData {
  readonly users: readonly UserInput[];
  readonly groups: readonly (GroupInput & { readonly memberIds?: readonly string[] })[];
  /** Principal ids (users or groups) assigned to the app. */
  readonly assignedPrincipalIds?: readonly string[];
}

/** The default access role Entra uses for apps that define no app roles. */
const DEFAULT_APP_ROLE_ID = '00000000-0000-0000-0000-000000000000';

export class GraphDirectory {
  readonly #users = new Map<string, StoredUser>();
  readonly #groups = new Map<string, StoredGroup>();
  /** Every id ever seen, with its kind, so removals stay typed after a hard delete. */
  readonly #kinds = new Map<string, ObjectKind>();
  readonly #parents = new Map<string, Set<string>>();
  readonly #assignments = new Map<string, AppRoleAssignment>();
  readonly #log: ChangeEntry[] = [];
  #sortedUserIds: string[] | undefined;
  #sortedGroupIds: string[] | undefined;
  #generation = 1;
  #expiry: DeltaExpiry = 'syncStateNotFound';

  constructor(readonly servicePrincipal: ServicePrincipal) {}

  // ---- control ----

  load(data: DirectoryData): void {
    for (const user of data.users) this.addUser(user);
    const created = data.groups.map(({ memberIds, ...properties }) => ({
      group: this.addGroup(properties as GroupInput),
      memberIds: memberIds ?? [],
    }));
    for (const { group, memberIds } of created) {
      for (const memberId of memberIds) this.addMember(group.id, memberId);
    }
    for (const principalId of data.assignedPrincipalIds ?? []) this.assign(principalId);
  }

  addUser(input: UserInput): StoredUser {
    const { id = randomUUID(), ...properties } = input;
    if (this.#kinds.has(id)) throw new Error(`object ${id} exists already`);
    const user: StoredUser = { id, properties: { accountEnabled: true, ...properties }, softDeleted: false };
    this.#users.set(id, user);
    this.#kinds.set(id, 'user');
    this.#sortedUserIds = undefined;
    this.#log.push({ kind: 'user', id });
    return user;
  }

  updateUser(id: string, changes: GraphProperties): StoredUser {
    const user = this.#requireUser(id);
    Object.assign(user.properties, changes);
    this.#log.push({ kind: 'user', id, properties: Object.keys(changes) });
    return user;
  }

  /** Deleted items: restorable for 30 days; memberships and assignments go, as in Entra. */
  softDeleteUser(id: string): void {
    const user = this.#requireUser(id);
    this.#detach(id);
    user.softDeleted = true;
    this.#sortedUserIds = undefined;
    this.#log.push({ kind: 'user', id });
  }

  restoreUser(id: string): void {
    const user = this.#users.get(id);
    if (!user?.softDeleted) throw new Error(`no soft-deleted user ${id}`);
    user.softDeleted = false;
    this.#sortedUserIds = undefined;
    this.#log.push({ kind: 'user', id });
  }

  hardDeleteUser(id: string): void {
    if (!this.#users.has(id)) throw new Error(`no user ${id}`);
    this.#detach(id);
    this.#users.delete(id);
    this.#sortedUserIds = undefined;
    this.#log.push({ kind: 'user', id });
  }

  addGroup(input: GroupInput): StoredGroup {
    const { id = randomUUID(), ...properties } = input;
    if (this.#kinds.has(id)) throw new Error(`object ${id} exists already`);
    const group: StoredGroup = {
      id,
      properties: { securityEnabled: true, mailEnabled: false, groupTypes: [], ...properties },
      members: new Set(),
    };
    this.#groups.set(id, group);
    this.#kinds.set(id, 'group');
    this.#sortedGroupIds = undefined;
    this.#log.push({ kind: 'group', id });
    return group;
  }

  renameGroup(id: string, displayName: string): void {
    const group = this.#requireGroup(id);
    group.properties.displayName = displayName;
    this.#log.push({ kind: 'group', id, properties: ['displayName'] });
  }

  deleteGroup(id: string): void {
    const group = this.#requireGroup(id);
    for (const memberId of [...group.members]) this.removeMember(id, memberId);
    this.#detach(id);
    this.#groups.delete(id);
    this.#sortedGroupIds = undefined;
    this.#log.push({ kind: 'group', id });
  }

  addMember(groupId: string, memberId: string): void {
    const group = this.#requireGroup(groupId);
    if (this.liveKind(memberId) === undefined) throw new Error(`no user or group ${memberId}`);
    if (memberId === groupId) throw new Error('a group cannot contain itself');
    if (group.members.has(memberId)) return;
    group.members.add(memberId);
    this.#parentsOf(memberId).add(groupId);
    this.#log.push({ kind: 'member', groupId, memberId });
  }

  removeMember(groupId: string, memberId: string): void {
    const group = this.#requireGroup(groupId);
    if (!group.members.delete(memberId)) return;
    this.#parents.get(memberId)?.delete(groupId);
    this.#log.push({ kind: 'member', groupId, memberId });
  }

  /** Assigns a user or group to the app (default access role). Not in the delta feeds, as in Graph. */
  assign(principalId: string): AppRoleAssignment {
    const kind = this.liveKind(principalId);
    if (kind === undefined) throw new Error(`no user or group ${principalId}`);
    const existing = this.#assignments.get(principalId);
    if (existing) return existing;
    const assignment: AppRoleAssignment = {
      id: Buffer.from(`${principalId}:${this.servicePrincipal.id}`).toString('base64url').slice(0, 43),
      principalId,
      principalType: kind === 'user' ? 'User' : 'Group',
      principalDisplayName: String(this.#object(principalId)?.properties.displayName ?? ''),
      appRoleId: DEFAULT_APP_ROLE_ID,
      resourceId: this.servicePrincipal.id,
      resourceDisplayName: this.servicePrincipal.displayName,
      createdDateTime: new Date().toISOString(),
    };
    this.#assignments.set(principalId, assignment);
    return assignment;
  }

  unassign(principalId: string): void {
    this.#assignments.delete(principalId);
  }

  /** Every delta link and skip token issued so far stops working, as after Graph's 7-day expiry. */
  expireDeltaTokens(how: DeltaExpiry = 'syncStateNotFound'): void {
    this.#generation++;
    this.#expiry = how;
  }

  counts(): DirectoryCounts {
    let memberships = 0;
    for (const group of this.#groups.values()) memberships += group.members.size;
    const softDeletedUsers = [...this.#users.values()].filter((user) => user.softDeleted).length;
    return {
      users: this.#users.size - softDeletedUsers,
      softDeletedUsers,
      groups: this.#groups.size,
      memberships,
      assignments: this.#assignments.size,
    };
  }

  // ---- reads for the routes ----

  get generation(): number {
    return this.#generation;
  }

  get expiry(): DeltaExpiry {
    return this.#expiry;
  }

  /** The sequence number of the latest change; a delta window is (since, upTo]. */
  get sequence(): number {
    return this.#log.length;
  }

  changesBetween(since: number, upTo: number): readonly ChangeEntry[] {
    return this.#log.slice(since, upTo);
  }

  /** A user that is not soft-deleted. */
  user(id: string): StoredUser | undefined {
    const user = this.#users.get(id);
    return user && !user.softDeleted ? user : undefined;
  }

  /** Any user still in the tenant, soft-deleted ones included (for delta). */
  userIncludingDeleted(id: string): StoredUser | undefined {
    return this.#users.get(id);
  }

  userByPrincipalName(userPrincipalName: string): StoredUser | undefined {
    const wanted = userPrincipalName.toLowerCase();
    for (const user of this.#users.values()) {
      if (!user.softDeleted && String(user.properties.userPrincipalName).toLowerCase() === wanted)
        return user;
    }
    return undefined;
  }

  group(id: string): StoredGroup | undefined {
    return this.#groups.get(id);
  }

  kindEverSeen(id: string): ObjectKind | undefined {
    return this.#kinds.get(id);
  }

  /** The kind of a live (not deleted) object. */
  liveKind(id: string): ObjectKind | undefined {
    if (this.user(id)) return 'user';
    if (this.#groups.has(id)) return 'group';
    return undefined;
  }

  /** Live users sorted by id, the stable order list paging walks. */
  sortedUsers(): readonly string[] {
    this.#sortedUserIds ??= [...this.#users.values()]
      .filter((user) => !user.softDeleted)
      .map((user) => user.id)
      .sort();
    return this.#sortedUserIds;
  }

  sortedGroups(): readonly string[] {
    this.#sortedGroupIds ??= [...this.#groups.keys()].sort();
    return this.#sortedGroupIds;
  }

  /** Every group that contains `id`, directly or through nested groups. */
  transitiveParents(id: string): Set<string> {
    const found = new Set<string>();
    const pending = [id];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      for (const parent of this.#parents.get(next) ?? []) {
        if (!found.has(parent)) {
          found.add(parent);
          pending.push(parent);
        }
      }
    }
    return found;
  }

  /** Every member of a group, through nested groups, each once. */
  transitiveMembers(groupId: string): string[] {
    const found = new Set<string>();
    const pending = [groupId];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      for (const member of this.#groups.get(next)?.members ?? []) {
        if (!found.has(member) && member !== groupId) {
          found.add(member);
          if (this.#groups.has(member)) pending.push(member);
        }
      }
    }
    return [...found].sort();
  }

  assignments(): AppRoleAssignment[] {
    return [...this.#assignments.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  #object(id: string): StoredUser | StoredGroup | undefined {
    return this.user(id) ?? this.#groups.get(id);
  }

  #requireUser(id: string): StoredUser {
    const user = this.user(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  }

  #requireGroup(id: string): StoredGroup {
    const group = this.#groups.get(id);
    if (!group) throw new Error(`no group ${id}`);
    return group;
  }

  #parentsOf(id: string): Set<string> {
    let parents = this.#parents.get(id);
    if (!parents) {
      parents = new Set();
      this.#parents.set(id, parents);
    }
    return parents;
  }

  /** Takes an object out of every group and the app's assignments. */
  #detach(id: string): void {
    for (const groupId of [...(this.#parents.get(id) ?? [])]) this.removeMember(groupId, id);
    this.#assignments.delete(id);
  }
}
