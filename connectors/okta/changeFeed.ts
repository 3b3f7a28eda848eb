import type { Membership } from '../../src/model/directory.js';

/** System Log event types an incremental read asks for. */
export const DIRECTORY_EVENT_TYPES = [
  'group.user_membership.add',
  'group.user_membership.remove',
  'group.lifecycle.create',
  'group.lifecycle.delete',
  'group.profile.update',
  'user.lifecycle.delete.completed',
] as const;

export const APP_EVENT_TYPES = [
  'application.user_membership.add',
  'application.user_membership.remove',
  'group.application_assignment.add',
  'group.application_assignment.remove',
] as const;

/** The parts of a System Log event this connector reads; the SDK's LogEvent fits. */
export interface LogEventRecord {
  readonly eventType?: string;
  readonly uuid?: string;
  readonly target?: readonly { readonly id?: string; readonly type?: string }[] | null;
}

/**
 * What a run of System Log events says, reduced to the last word on each object (events come
 * in ascending order, so a group created and deleted within the window ends deleted). Objects
 * whose current state must be read back are listed, not guessed.
 */
export interface LogEventDigest {
  readonly membershipsAdded: Membership[];
  readonly membershipsRemoved: Membership[];
  /** Created or renamed: read the group as it is now. */
  readonly groupIdsToRead: string[];
  readonly removedGroupIds: string[];
  readonly deletedUserIds: string[];
  /** Users whose assignment to the app changed: read their AppUser to learn direct or through a group. */
  readonly appUserIdsToRead: string[];
  readonly assignedGroupIds: string[];
  readonly unassignedGroupIds: string[];
  readonly imprecise?: string;
}

export function digestLogEvents(events: readonly LogEventRecord[], appId?: string): LogEventDigest {
  const memberships = new Map<string, { membership: Membership; present: boolean }>();
  const groups = new Map<string, 'read' | 'removed'>();
  const deletedUsers = new Set<string>();
  const appUsers = new Set<string>();
  const groupAssignments = new Map<string, boolean>();
  const imprecise: string[] = [];

  for (const event of events) {
    const type = event.eventType ?? '';
    const userId = targetId(event, 'User');
    const groupId = targetId(event, 'UserGroup');
    const forOurApp = appId !== undefined && targetId(event, 'AppInstance') === appId;
    const missing = (what: string) => imprecise.push(`${type} event ${event.uuid ?? '?'} names no ${what}`);
    switch (type) {
      case 'group.user_membership.add':
      case 'group.user_membership.remove':
        if (!userId || !groupId) missing('user or group');
        else
          memberships.set(`${groupId}\n${userId}`, {
            membership: { groupId, memberId: userId },
            present: type.endsWith('.add'),
          });
        break;
      case 'group.lifecycle.create':
      case 'group.profile.update':
        if (!groupId) missing('group');
        else if (groups.get(groupId) !== 'removed') groups.set(groupId, 'read');
        break;
      case 'group.lifecycle.delete':
        if (!groupId) missing('group');
        else groups.set(groupId, 'removed');
        break;
      case 'user.lifecycle.delete.completed':
        if (!userId) missing('user');
        else deletedUsers.add(userId);
        break;
      case 'application.user_membership.add':
      case 'application.user_membership.remove':
        if (!forOurApp) break;
        if (!userId) missing('user');
        else appUsers.add(userId);
        break;
      case 'group.application_assignment.add':
      case 'group.application_assignment.remove':
        if (!forOurApp) break;
        if (!groupId) missing('group');
        else groupAssignments.set(groupId, type.endsWith('.add'));
        break;
    }
  }

  const entries = [...memberships.values()].filter(
    ({ membership }) =>
      !deletedUsers.has(membership.memberId) && groups.get(membership.groupId) !== 'removed',
  );
  const byState = (wanted: 'read' | 'removed') =>
    [...groups].filter(([, state]) => state === wanted).map(([id]) => id);
  const byAssignment = (assigned: boolean) =>
    [...groupAssignments].filter(([, state]) => state === assigned).map(([id]) => id);
  return {
    membershipsAdded: entries.filter((entry) => entry.present).map((entry) => entry.membership),
    membershipsRemoved: entries.filter((entry) => !entry.present).map((entry) => entry.membership),
    groupIdsToRead: byState('read'),
    removedGroupIds: byState('removed'),
    deletedUserIds: [...deletedUsers],
    appUserIdsToRead: [...appUsers].filter((id) => !deletedUsers.has(id)),
    assignedGroupIds: byAssignment(true),
    unassignedGroupIds: byAssignment(false),
    ...(imprecise.length > 0 ? { imprecise: imprecise.slice(0, 3).join('; ') } : {}),
  };
}

/** Okta names the user of an app assignment as an AppUser target (same id) and often a User too. */
function targetId(event: LogEventRecord, type: 'User' | 'UserGroup' | 'AppInstance'): string | undefined {
  const targets = event.target ?? [];
  const found =
    targets.find((target) => target.type === type) ??
    (type === 'User' ? targets.find((target) => target.type === 'AppUser') : undefined);
  return found?.id;
}
