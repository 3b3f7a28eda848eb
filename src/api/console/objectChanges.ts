import type { AttributeChange, Op, OpKind } from '../../model/plan.js';
import { mayHoldSecret, type ProvisioningEvent } from '../../model/run.js';

/** One object a run touched (or, held or dry, would touch): what changed on it and how it ended. */
export interface ObjectChange {
  readonly objectType: 'user' | 'group';
  readonly externalId: string;
  readonly subject?: string;
  readonly op?: OpKind;
  readonly outcome: ProvisioningEvent['outcome'] | 'planned';
  readonly reason?: string;
  readonly changes: readonly { path: string; from?: string | boolean; to?: string | boolean }[];
  readonly membersAdded: readonly string[];
  readonly membersRemoved: readonly string[];
  /** Members added or removed beyond those listed. */
  readonly membersNotListed: number;
}

/**
 * What an applied run changed, from its provisioning-log events: the attributes each op sent
 * (before → after for an update, the values set for a create) and the members it added or removed,
 * the first ones by id with a count of the rest.
 */
export function changesFromEvents(events: readonly ProvisioningEvent[]): ObjectChange[] {
  return events.map((event) => ({
    objectType: event.objectType,
    externalId: event.externalId,
    ...(event.subject ? { subject: event.subject } : {}),
    ...(event.op ? { op: event.op } : {}),
    outcome: event.outcome,
    ...(event.reason ? { reason: event.reason } : {}),
    changes: event.changes ?? [],
    membersAdded: event.members?.added ?? [],
    membersRemoved: event.members?.removed ?? [],
    membersNotListed: event.members?.more ?? 0,
  }));
}

/** What a held or dry run would change, from its plan's ops: every member, as the plan lists them. */
export function changesFromPlan(ops: readonly Op[]): ObjectChange[] {
  return ops.map((op) => ({
    objectType: op.kind.endsWith('User') ? 'user' : 'group',
    externalId: op.externalId,
    ...subjectOf(op),
    op: op.kind,
    outcome: 'planned',
    changes: planChanges(op).filter((change) => !mayHoldSecret(change.path)),
    membersAdded: op.kind === 'addMembers' || op.kind === 'createGroup' ? op.memberExternalIds : [],
    membersRemoved: op.kind === 'removeMembers' ? op.memberExternalIds : [],
    membersNotListed: 0,
  }));
}

function subjectOf(op: Op): { subject?: string } {
  if ('displayName' in op) return { subject: op.displayName };
  if ('attributes' in op && typeof op.attributes.userName === 'string')
    return { subject: op.attributes.userName };
  return {};
}

function planChanges(op: Op): readonly AttributeChange[] {
  if ('changes' in op) return op.changes;
  if (op.kind === 'createUser') return Object.entries(op.attributes).map(([path, to]) => ({ path, to }));
  if (op.kind === 'createGroup') return [{ path: 'displayName', to: op.displayName }];
  return [];
}
