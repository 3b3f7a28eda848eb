/**
 * What a source directory holds, after its connector has read it. Plain data, no behaviour.
 *
 * Attribute names are the source's own (Graph: `userPrincipalName`, Okta: `profile.login`,
 * file: `userName`), so that per-tenant mappings and scoping filters speak the admin's language,
 * as Entra's attribute mappings and scoping filters do.
 */
export type AttributeValue = string | number | boolean;

export interface DirectoryUser {
  /** The source's immutable object id; becomes the platform `externalId`. */
  readonly id: string;
  /** Whether the account may sign in, as the connector's status rules decide. */
  readonly active: boolean;
  /** Source attributes by source name; empty values are absent. */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

export interface DirectoryGroup {
  readonly id: string;
  readonly displayName: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** Direct members: ids of users or of other groups (nested groups are flattened by the engine). */
  readonly memberIds: readonly string[];
}

/** Users and groups the app is assigned to (Graph appRoleAssignedTo, Okta app assignments). */
export interface Assignments {
  readonly userIds: readonly string[];
  readonly groupIds: readonly string[];
}

/**
 * A complete read of the source. A connector returns one only after it followed every page;
 * anything less is thrown as an error, so deprovisioning is never decided from a partial read.
 */
export interface DirectorySnapshot {
  readonly users: readonly DirectoryUser[];
  readonly groups: readonly DirectoryGroup[];
  /** Present when the tenant's scope mode is `assigned` (Graph) or `app` (Okta). */
  readonly assignments?: Assignments;
}

/** How a user or group left the source in an incremental read. */
export type RemovalKind = 'softDeleted' | 'deleted';

/**
 * What changed in the source since a cursor. Each list names whole objects as they are now,
 * so applying the same changes twice gives the same snapshot.
 */
export interface DirectoryChanges {
  readonly upsertedUsers: readonly DirectoryUser[];
  readonly removedUsers: readonly { readonly id: string; readonly kind: RemovalKind }[];
  /** Groups whose own attributes changed; `memberIds` is not trusted from here (see memberships). */
  readonly upsertedGroups: readonly Omit<DirectoryGroup, 'memberIds'>[];
  readonly removedGroupIds: readonly string[];
  readonly membershipsAdded: readonly Membership[];
  readonly membershipsRemoved: readonly Membership[];
  readonly assignmentsAdded?: Partial<Assignments>;
  readonly assignmentsRemoved?: Partial<Assignments>;
  /** The whole assignment list as read now, for sources that have no change feed for it (Graph). */
  readonly assignmentsReplaced?: Assignments;
  /** Set when the connector could not express a change precisely and a full run is needed. */
  readonly needsFullRun?: string;
}

export interface Membership {
  readonly groupId: string;
  readonly memberId: string;
}
