import type { ScimAttributes, ScimPath } from './scim.js';

export const OP_KINDS = [
  'createUser',
  'updateUser',
  'deactivateUser',
  'reactivateUser',
  'deleteUser',
  'createGroup',
  'updateGroup',
  'deleteGroup',
  'addMembers',
  'removeMembers',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** One attribute change, as shown to operators and sent as one PATCH operation. */
export interface AttributeChange {
  readonly path: ScimPath;
  readonly from?: string | boolean;
  /** Absent means the attribute is removed. */
  readonly to?: string | boolean;
}

/**
 * One change on the platform. Each op names its object by the source id (externalId) and,
 * when the plan knew it, the platform id; it carries the desired state so that a worker
 * retrying it can re-read the platform and converge instead of replaying a stale diff.
 */
export type Op =
  | {
      readonly kind: 'createUser';
      readonly externalId: string;
      readonly active: boolean;
      readonly attributes: ScimAttributes;
    }
  | {
      readonly kind: 'updateUser' | 'reactivateUser';
      readonly externalId: string;
      readonly targetId: string;
      readonly active: boolean;
      readonly attributes: ScimAttributes;
      readonly changes: readonly AttributeChange[];
      /** Set when the object was matched by an attribute and is taken over by this tenant. */
      readonly adoptedBy?: string;
    }
  | { readonly kind: 'deactivateUser' | 'deleteUser'; readonly externalId: string; readonly targetId: string }
  | {
      readonly kind: 'createGroup';
      readonly externalId: string;
      readonly displayName: string;
      readonly memberExternalIds: readonly string[];
    }
  | {
      readonly kind: 'updateGroup';
      readonly externalId: string;
      readonly targetId: string;
      readonly displayName: string;
      readonly changes: readonly AttributeChange[];
      readonly adoptedBy?: string;
    }
  | { readonly kind: 'deleteGroup'; readonly externalId: string; readonly targetId: string }
  | {
      readonly kind: 'addMembers' | 'removeMembers';
      readonly externalId: string;
      /** The group's, for the log and the console; absent in ops planned by earlier versions. */
      readonly displayName?: string;
      readonly targetId?: string;
      /** At most the chunk size the planner was given. */
      readonly memberExternalIds: readonly string[];
    };

/** An object the engine could not plan for, with the reason an operator reads. */
export interface ObjectProblem {
  readonly objectType: 'user' | 'group';
  readonly externalId: string;
  readonly reason: string;
}

export interface Plan {
  /** Ops that touch users; applied before any group op. */
  readonly userOps: readonly Op[];
  /** Ops that touch groups and memberships; applied after every user op. */
  readonly groupOps: readonly Op[];
  readonly problems: readonly ObjectProblem[];
  /** How many platform users this tenant manages, for the guard's ratio. */
  readonly managedUserCount: number;
}

export type GuardVerdict = { readonly held: false } | { readonly held: true; readonly reason: string };
