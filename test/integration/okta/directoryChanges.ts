import type { EmulatedOrg, OktaDirectory, OktaUserStatus, SeedUser } from '../../emulators/okta/index.js';

/**
 * One admin change to the Okta org, made twice: through the emulator's control interface (what
 * dirsync reads) and on the test's own plain copy of the directory (what the reference reads).
 */
export interface DirectoryChange {
  readonly name: string;
  applyTo(org: EmulatedOrg): void;
  edit(directory: OktaDirectory): OktaDirectory;
}

type UserEdit = (user: SeedUser) => SeedUser;

function editUser(directory: OktaDirectory, userId: string, edit: UserEdit): OktaDirectory {
  return { ...directory, users: directory.users.map((user) => (user.id === userId ? edit(user) : user)) };
}

function editMembers(
  directory: OktaDirectory,
  groupId: string,
  edit: (memberIds: readonly string[]) => string[],
): OktaDirectory {
  return {
    ...directory,
    groups: directory.groups.map((group) =>
      group.id === groupId ? { ...group, memberIds: edit(group.memberIds) } : group,
    ),
  };
}

function editDirectAssignments(
  directory: OktaDirectory,
  appId: string,
  edit: (userIds: readonly string[]) => string[],
): OktaDirectory {
  return {
    ...directory,
    apps: directory.apps.map((app) => (app.id === appId ? { ...app, userIds: edit(app.userIds) } : app)),
  };
}

export function profileEdit(
  userId: string,
  changes: Readonly<Record<string, string | null>>,
): DirectoryChange {
  return {
    name: 'profile edit',
    applyTo: (org) => org.updateProfile(userId, changes),
    edit: (directory) =>
      editUser(directory, userId, (user) => {
        const profile: Record<string, string> = { ...user.profile };
        for (const [attribute, value] of Object.entries(changes)) {
          if (value === null) delete profile[attribute];
          else profile[attribute] = value;
        }
        return { ...user, profile };
      }),
  };
}

export function statusChange(name: string, userId: string, status: OktaUserStatus): DirectoryChange {
  return {
    name,
    applyTo: (org) => org.setStatus(userId, status),
    edit: (directory) => editUser(directory, userId, (user) => ({ ...user, status })),
  };
}

export function userDeletion(userId: string): DirectoryChange {
  return {
    name: 'delete',
    applyTo: (org) => org.deleteUser(userId),
    edit: (directory) => ({
      users: directory.users.filter((user) => user.id !== userId),
      groups: directory.groups.map((group) => ({
        ...group,
        memberIds: group.memberIds.filter((id) => id !== userId),
      })),
      apps: directory.apps.map((app) => ({ ...app, userIds: app.userIds.filter((id) => id !== userId) })),
    }),
  };
}

export function membershipAdded(name: string, groupId: string, userId: string): DirectoryChange {
  return {
    name,
    applyTo: (org) => org.addMember(groupId, userId),
    edit: (directory) => editMembers(directory, groupId, (memberIds) => [...memberIds, userId]),
  };
}

export function membershipRemoved(name: string, groupId: string, userId: string): DirectoryChange {
  return {
    name,
    applyTo: (org) => org.removeMember(groupId, userId),
    edit: (directory) =>
      editMembers(directory, groupId, (memberIds) => memberIds.filter((id) => id !== userId)),
  };
}

export function directAssignment(appId: string, userId: string): DirectoryChange {
  return {
    name: 'app assign',
    applyTo: (org) => org.assignUser(appId, userId),
    edit: (directory) => editDirectAssignments(directory, appId, (userIds) => [...userIds, userId]),
  };
}

export function directUnassignment(appId: string, userId: string): DirectoryChange {
  return {
    name: 'app unassign',
    applyTo: (org) => org.unassignUser(appId, userId),
    edit: (directory) =>
      editDirectAssignments(directory, appId, (userIds) => userIds.filter((id) => id !== userId)),
  };
}

/** Several changes made between two runs. */
export function together(name: string, changes: readonly DirectoryChange[]): DirectoryChange {
  return {
    name,
    applyTo: (org) => {
      for (const change of changes) change.applyTo(org);
    },
    edit: (directory) => changes.reduce((edited, change) => change.edit(edited), directory),
  };
}
