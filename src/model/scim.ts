/**
 * The platform side, as the engine sees it: flat attribute maps keyed by SCIM attribute path.
 * The platform client converts SCIM resources to and from this form; the engine only compares.
 */
export const ENTERPRISE_USER_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * A SCIM attribute path as the PATCH grammar of RFC 7644 §3.5.2 writes it:
 * `userName`, `name.givenName`, `emails[type eq "work"].value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
 */
export type ScimPath = string;

/** Mapped user attributes other than `active` and `externalId`. */
export type ScimAttributes = Readonly<Record<ScimPath, string>>;

export interface ScimUserState {
  readonly externalId: string;
  readonly active: boolean;
  readonly attributes: ScimAttributes;
}

export interface PlatformUser {
  /** The platform's id of the resource. */
  readonly id: string;
  readonly externalId?: string;
  readonly active: boolean;
  /** Every attribute the client can express as a ScimPath; the engine compares only mapped ones. */
  readonly attributes: ScimAttributes;
}

export interface ScimGroupState {
  readonly externalId: string;
  readonly displayName: string;
  /** Source ids (= platform externalIds) of the in-scope users who belong to the group. */
  readonly memberExternalIds: readonly string[];
}

export interface PlatformGroup {
  readonly id: string;
  readonly externalId?: string;
  readonly displayName: string;
  /** Platform ids of the members (SCIM `members[].value`). */
  readonly memberIds: readonly string[];
}

/** What the platform held when a run read it: complete for a full run, narrowed for others. */
export interface PlatformState {
  readonly users: readonly PlatformUser[];
  readonly groups: readonly PlatformGroup[];
}
