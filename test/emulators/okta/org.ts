import type { EmulatorClock } from './clock.js';
import { type OktaDirectory, type OktaUserStatus, oktaId } from './directory.js';

export interface OrgUser {
  readonly id: string;
  status: OktaUserStatus;
  profile: Record<string, string>;
  readonly created: number;
  lastUpdated: number;
  statusChanged: number;
}

export interface OrgGroup {
  readonly id: string;
  name: string;
  description?: string;
  readonly created: number;
  lastUpdated: number;
  lastMembershipUpdated: number;
  readonly memberIds: Set<string>;
}

export interface OrgApp {
  readonly id: string;
  readonly label: string;
  readonly created: number;
  readonly userIds: Set<string>;
  readonly groupIds: Set<string>;
}

export interface LogTargetRecord {
  readonly id: string;
  readonly type: 'User' | 'UserGroup' | 'AppInstance' | 'AppUser';
  readonly alternateId: string;
  readonly displayName: string;
}

export interface LogEventEntry {
  /** Position in the log, for the opaque `after` cursor. */
  readonly sequence: number;
  readonly uuid: string;
  readonly published: number;
  readonly eventType: string;
  readonly target: readonly LogTargetRecord[];
}

export interface NewUser {
  readonly login: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  readonly status?: OktaUserStatus;
  readonly profile?: Readonly<Record<string, string>>;
}

/** How an app reaches a user: directly (USER), through an assigned group (GROUP), or not at all. */
export type AppUserScope = 'USER' | 'GROUP';

const STATUS_EVENTS: Partial<Record<OktaUserStatus, string>> = {
  SUSPENDED: 'user.lifecycle.suspend',
  DEPROVISIONED: 'user.lifecycle.deactivate',
  ACTIVE: 'user.lifecycle.activate',
};

/**
 * The emulated Okta org: users, groups, apps and the System Log that the control methods write
 * as Okta would. Plain state; the HTTP routes only read it.
 */
export class EmulatedOrg {
  readonly users = new Map<string, OrgUser>();
  readonly groups = new Map<string, OrgGroup>();
  readonly apps = new Map<string, OrgApp>();
  readonly log: LogEventEntry[] = [];
  #serial = 0;

  constructor(private readonly clock: EmulatorClock) {}

  /** Loads a directory as it was before the log window: no events are written. */
  load(directory: OktaDirectory): void {
    const at = this.clock.now() - 24 * 60 * 60_000;
    for (const user of directory.users) {
      this.users.set(user.id, {
        id: user.id,
        status: user.status,
        profile: { ...user.profile },
        created: at,
        lastUpdated: at,
        statusChanged: at,
      });
    }
    for (const group of directory.groups) {
      this.groups.set(group.id, {
        id: group.id,
        name: group.name,
        ...(group.description ? { description: group.description } : {}),
        created: at,
        lastUpdated: at,
        lastMembershipUpdated: at,
        memberIds: new Set(group.memberIds),
      });
    }
    for (const app of directory.apps) {
      this.apps.set(app.id, {
        id: app.id,
        label: app.label,
        created: at,
        userIds: new Set(app.userIds),
        groupIds: new Set(app.groupIds),
      });
    }
    const serials = [...directory.users, ...directory.groups, ...directory.apps].map((seed) =>
      Number.parseInt(seed.id.slice(3), 36),
    );
    this.#serial = Math.max(this.#serial, ...serials.filter((serial) => Number.isFinite(serial)));
  }

  addUser(input: NewUser): OrgUser {
    const now = this.clock.now();
    const profile: Record<string, string> = { login: input.login, ...input.profile };
    if (input.firstName !== undefined) profile.firstName = input.firstName;
    if (input.lastName !== undefined) profile.lastName = input.lastName;
    if (input.email !== undefined) profile.email = input.email;
    const user: OrgUser = {
      id: oktaId('00u', this.#nextSerial()),
      status: input.status ?? 'ACTIVE',
      profile,
      created: now,
      lastUpdated: now,
      statusChanged: now,
    };
    this.users.set(user.id, user);
    this.#record('user.lifecycle.create', [this.#userTarget(user)]);
    if (user.status === 'ACTIVE') this.#record('user.lifecycle.activate', [this.#userTarget(user)]);
    return user;
  }

  /** Sets (or, with null, removes) profile attributes. */
  updateProfile(userId: string, changes: Readonly<Record<string, string | null>>): void {
    const user = this.#user(userId);
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete user.profile[name];
      else user.profile[name] = value;
    }
    user.lastUpdated = this.clock.now();
    this.#record('user.account.update_profile', [this.#userTarget(user)]);
  }

  /** Suspend (SUSPENDED), unsuspend (ACTIVE), deactivate (DEPROVISIONED) or any other transition. */
  setStatus(userId: string, status: OktaUserStatus): void {
    const user = this.#user(userId);
    const previous = user.status;
    this.#withAppAccessEvents([userId], () => {
      user.status = status;
      user.statusChanged = user.lastUpdated = this.clock.now();
    });
    const eventType =
      previous === 'SUSPENDED' && status === 'ACTIVE'
        ? 'user.lifecycle.unsuspend'
        : previous === 'DEPROVISIONED' && status === 'ACTIVE'
          ? 'user.lifecycle.reactivate'
          : (STATUS_EVENTS[status] ?? 'user.lifecycle.update');
    this.#record(eventType, [this.#userTarget(user)]);
  }

  /** Okta deletes only deactivated users: an active one is deactivated first, as its first DELETE does. */
  deleteUser(userId: string): void {
    const user = this.#user(userId);
    if (user.status !== 'DEPROVISIONED') this.setStatus(userId, 'DEPROVISIONED');
    const target = this.#userTarget(user);
    this.#record('user.lifecycle.delete.initiated', [target]);
    for (const group of this.groups.values()) group.memberIds.delete(userId);
    for (const app of this.apps.values()) app.userIds.delete(userId);
    this.users.delete(userId);
    this.#record('user.lifecycle.delete.completed', [target]);
  }

  addGroup(input: { readonly name: string; readonly description?: string }): OrgGroup {
    const now = this.clock.now();
    const group: OrgGroup = {
      id: oktaId('00g', this.#nextSerial()),
      name: input.name,
      ...(input.description ? { description: input.description } : {}),
      created: now,
      lastUpdated: now,
      lastMembershipUpdated: now,
      memberIds: new Set(),
    };
    this.groups.set(group.id, group);
    this.#record('group.lifecycle.create', [this.#groupTarget(group)]);
    return group;
  }

  renameGroup(groupId: string, name: string): void {
    const group = this.#group(groupId);
    group.name = name;
    group.lastUpdated = this.clock.now();
    this.#record('group.profile.update', [this.#groupTarget(group)]);
  }

  deleteGroup(groupId: string): void {
    const group = this.#group(groupId);
    this.#withAppAccessEvents([...group.memberIds], () => {
      this.groups.delete(groupId);
      for (const app of this.apps.values()) app.groupIds.delete(groupId);
    });
    this.#record('group.lifecycle.delete', [this.#groupTarget(group)]);
  }

  addMember(groupId: string, userId: string): void {
    this.#changeMembership(groupId, userId, true);
  }

  removeMember(groupId: string, userId: string): void {
    this.#changeMembership(groupId, userId, false);
  }

  addApp(label: string): OrgApp {
    const app: OrgApp = {
      id: oktaId('0oa', this.#nextSerial()),
      label,
      created: this.clock.now(),
      userIds: new Set(),
      groupIds: new Set(),
    };
    this.apps.set(app.id, app);
    return app;
  }

  assignUser(appId: string, userId: string): void {
    const app = this.#app(appId);
    this.#user(userId);
    this.#withAppAccessEvents([userId], () => app.userIds.add(userId), true);
  }

  unassignUser(appId: string, userId: string): void {
    const app = this.#app(appId);
    this.#withAppAccessEvents([userId], () => app.userIds.delete(userId), true);
  }

  assignGroup(appId: string, groupId: string): void {
    this.#changeGroupAssignment(appId, groupId, true);
  }

  unassignGroup(appId: string, groupId: string): void {
    this.#changeGroupAssignment(appId, groupId, false);
  }

  /** How the app reaches the user now, if at all. */
  appUserScope(app: OrgApp, userId: string): AppUserScope | undefined {
    if (app.userIds.has(userId)) return 'USER';
    for (const groupId of app.groupIds) {
      if (this.groups.get(groupId)?.memberIds.has(userId)) return 'GROUP';
    }
    return undefined;
  }

  /** Users the app reaches, directly or through groups, in id order. */
  appUserIds(app: OrgApp): string[] {
    const ids = new Set(app.userIds);
    for (const groupId of app.groupIds) {
      for (const memberId of this.groups.get(groupId)?.memberIds ?? []) ids.add(memberId);
    }
    return [...ids].filter((id) => this.users.has(id)).sort();
  }

  counts(): {
    users: number;
    usersByStatus: Partial<Record<OktaUserStatus, number>>;
    groups: number;
    memberships: number;
    apps: number;
    logEvents: number;
  } {
    const usersByStatus: Partial<Record<OktaUserStatus, number>> = {};
    for (const user of this.users.values())
      usersByStatus[user.status] = (usersByStatus[user.status] ?? 0) + 1;
    let memberships = 0;
    for (const group of this.groups.values()) memberships += group.memberIds.size;
    return {
      users: this.users.size,
      usersByStatus,
      groups: this.groups.size,
      memberships,
      apps: this.apps.size,
      logEvents: this.log.length,
    };
  }

  #changeMembership(groupId: string, userId: string, add: boolean): void {
    const group = this.#group(groupId);
    const user = this.#user(userId);
    if (group.memberIds.has(userId) === add) return;
    this.#withAppAccessEvents([userId], () => {
      if (add) group.memberIds.add(userId);
      else group.memberIds.delete(userId);
      group.lastMembershipUpdated = this.clock.now();
    });
    this.#record(`group.user_membership.${add ? 'add' : 'remove'}`, [
      this.#userTarget(user),
      this.#groupTarget(group),
    ]);
  }

  #changeGroupAssignment(appId: string, groupId: string, assign: boolean): void {
    const app = this.#app(appId);
    const group = this.#group(groupId);
    if (app.groupIds.has(groupId) === assign) return;
    this.#record(`group.application_assignment.${assign ? 'add' : 'remove'}`, [
      this.#appTarget(app),
      this.#groupTarget(group),
    ]);
    this.#withAppAccessEvents([...group.memberIds], () => {
      if (assign) app.groupIds.add(groupId);
      else app.groupIds.delete(groupId);
    });
  }

  /**
   * Okta writes application.user_membership.* whenever a user gains or loses an app, whatever the
   * cause (direct assignment, group membership, group assignment). `always` records even a change
   * of scope only (a direct assignment on top of a group one).
   */
  #withAppAccessEvents(userIds: readonly string[], change: () => void, always = false): void {
    const before = this.#appAccess(userIds);
    change();
    const after = this.#appAccess(userIds);
    for (const [key, scopeBefore] of before) {
      const scopeAfter = after.get(key);
      if (
        scopeBefore === scopeAfter ||
        (!always && (scopeBefore === undefined) === (scopeAfter === undefined))
      )
        continue;
      const [appId, userId] = key.split('\n') as [string, string];
      const app = this.apps.get(appId);
      const user = this.users.get(userId);
      if (!app || !user) continue;
      const gained = scopeAfter !== undefined;
      this.#record(`application.user_membership.${gained ? 'add' : 'remove'}`, [
        { ...this.#userTarget(user), type: 'AppUser' },
        this.#appTarget(app),
        this.#userTarget(user),
      ]);
    }
  }

  #appAccess(userIds: readonly string[]): Map<string, AppUserScope | undefined> {
    const access = new Map<string, AppUserScope | undefined>();
    for (const app of this.apps.values()) {
      for (const userId of userIds) access.set(`${app.id}\n${userId}`, this.appUserScope(app, userId));
    }
    return access;
  }

  #record(eventType: string, target: readonly LogTargetRecord[]): void {
    const sequence = this.log.length + 1;
    this.log.push({
      sequence,
      uuid: `emulated-${sequence.toString().padStart(10, '0')}`,
      published: this.clock.now(),
      eventType,
      target,
    });
  }

  #userTarget(user: OrgUser): LogTargetRecord {
    const login = user.profile.login ?? user.id;
    return { id: user.id, type: 'User', alternateId: login, displayName: user.profile.displayName ?? login };
  }

  #groupTarget(group: OrgGroup): LogTargetRecord {
    return { id: group.id, type: 'UserGroup', alternateId: 'unknown', displayName: group.name };
  }

  #appTarget(app: OrgApp): LogTargetRecord {
    return { id: app.id, type: 'AppInstance', alternateId: app.label, displayName: app.label };
  }

  #nextSerial(): number {
    this.#serial += 1;
    return this.#serial;
  }

  #user(id: string): OrgUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`no emulated user ${id}`);
    return user;
  }

  #group(id: string): OrgGroup {
    const group = this.groups.get(id);
    if (!group) throw new Error(`no emulated group ${id}`);
    return group;
  }

  #app(id: string): OrgApp {
    const app = this.apps.get(id);
    if (!app) throw new Error(`no emulated app ${id}`);
    return app;
  }
}
