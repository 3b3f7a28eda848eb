import type { Failure } from './failure.js';
import type { AttributeChange } from './plan.js';
import type { PlatformGroup, PlatformUser, ScimAttributes, ScimUserState } from './scim.js';
import { UpstreamError } from './upstream.js';

/** What the platform's /ServiceProviderConfig says it supports (RFC 7643 §5). */
export interface PlatformCapabilities {
  readonly patch: boolean;
  readonly filter: boolean;
  /** The most resources the server returns in one page, when it says. */
  readonly maxResults?: number;
  readonly sort: boolean;
  readonly etag: boolean;
  readonly bulk: boolean;
  /** The most operations in one bulk request, when it says. */
  readonly bulkMaxOperations?: number;
}

export interface UserQuery {
  readonly externalIds?: readonly string[];
  readonly userNames?: readonly string[];
  readonly emails?: readonly string[];
}

export interface GroupQuery {
  readonly externalIds?: readonly string[];
  readonly displayNames?: readonly string[];
}

/**
 * A lookup the platform could not answer by filter, answered by reading every resource of the
 * type and comparing on dirsync's side instead: what an operator reads in a provision trace.
 */
export interface LookupFallback {
  readonly resourceType: 'Users' | 'Groups';
  readonly attribute: string;
  /**
   * `refused`: the server answered the filter with an error; `undecoded`: it found nothing for an
   * escaped value and does not decode escapes; `caseExact`: it found nothing for a value of an
   * attribute it compares with case although RFC 7643 says it must not.
   */
  readonly reason: 'refused' | 'undecoded' | 'caseExact';
  readonly scanned: number;
  readonly found: number;
}

export type LookupObserver = (fallback: LookupFallback) => void;

/**
 * What a create answers with: the platform's id for the new object. The rest of the answer echoes
 * what was sent, and parsing it for nothing costs a full resource parse per created object.
 */
export interface CreatedResource {
  readonly id: string;
}

/**
 * The platform's SCIM 2.0 endpoint as the runs and workers use it. Throttling (429/503) is
 * waited out inside; other failures are thrown as `PlatformError`.
 */
export interface Platform {
  capabilities(): Promise<PlatformCapabilities>;
  /** Every user, every page. */
  listUsers(): Promise<PlatformUser[]>;
  /** Every group with its members, every page. */
  listGroups(): Promise<PlatformGroup[]>;
  /**
   * Users matching any of the given values (filters batched and escaped). `thenFind`, given the
   * users found, names more values to look for: a read of every user that either round cannot do
   * without is made once and serves both.
   */
  findUsers(
    query: UserQuery,
    observe?: LookupObserver,
    thenFind?: (found: readonly PlatformUser[]) => UserQuery,
  ): Promise<PlatformUser[]>;
  findGroups(query: GroupQuery, observe?: LookupObserver): Promise<PlatformGroup[]>;
  getUser(id: string): Promise<PlatformUser | undefined>;
  getGroup(id: string): Promise<PlatformGroup | undefined>;
  /** Throws PlatformError with status 409 when the identity exists already. */
  createUser(user: ScimUserState): Promise<CreatedResource>;
  /**
   * One PATCH with one operation per change; `active` and `externalId` are paths like the others.
   * `known`: the user's attributes as dirsync read them, or the desired state the changes lead to;
   * it tells which elements of multi-valued attributes (a work email) the platform has already.
   */
  patchUser(id: string, changes: readonly AttributeChange[], known?: ScimAttributes): Promise<void>;
  deleteUser(id: string): Promise<void>;
  createGroup(group: {
    externalId: string;
    displayName: string;
    memberIds: readonly string[];
  }): Promise<CreatedResource>;
  patchGroup(id: string, changes: readonly AttributeChange[]): Promise<void>;
  addMembers(groupId: string, memberIds: readonly string[]): Promise<void>;
  removeMembers(groupId: string, memberIds: readonly string[]): Promise<void>;
  deleteGroup(id: string): Promise<void>;
}

/** A failed platform call, with what an operator needs to read in the run record. */
export class PlatformError extends UpstreamError {
  override readonly name = 'PlatformError';
  constructor(
    message: string,
    status: number,
    readonly scimType?: string,
    /** What the failure means when its status cannot say: a call that got no answer, say. */
    failure?: Failure,
  ) {
    super(message, 'platform', status, scimType, failure);
  }

  get isConflict(): boolean {
    return this.failure.class === 'conflict';
  }

  get isNotFound(): boolean {
    return this.failure.class === 'notFound';
  }
}
