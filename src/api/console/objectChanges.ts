import type { AttributeChange, Op, OpKind } from '../../model/plan.js';
import type { ProvisioningEvent } from '../../model/run.js';

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
}

/**
 * What an applied run changed, from its provisioning-log events. Events carry attribute changes
 * (from/to) of updates, but not the attributes of a created user nor the members an op added or
 * removed: those are shown for held and dry runs only, whose plan holds them.
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
    membersAdded: [],
    membersRemoved: [],
  }));
}

/** What a held or dry run would change, from its plan's ops. */
export function changesFromPlan(ops: readonly Op[]): ObjectChange[] {
  return ops.map((op) => ({
    objectType: op.kind.endsWith('User') ? 'user' : 'group',
    externalId: op.externalId,
    ...subjectOf(op),
    op: op.kind,
    outcome: 'planned',
    changes: planChanges(op),
    membersAdded: op.kind === 'addMembers' || op.kind === 'createGroup' ? op.memberExternalIds : [],
    membersRemoved: op.kind === 'removeMembers' ? op.memberExternalIds : [],
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
  return [];
}
