import type { AttributeChange } from '../model/plan.js';
import { quoteFilterValue } from './filter/quote.js';
import type { JsonObject } from './json.js';
import { PATCH_OP_URN } from './scimSchemas.js';

export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: unknown;
}

/**
 * One operation per change (RFC 7644 §3.5.2): `add` when the attribute had no value (so a
 * missing `emails[type eq "work"]` item is created, not a `noTarget` error), `replace` when it
 * had one, `remove` when it goes. `active` travels as a boolean.
 */
export function changeOperations(changes: readonly AttributeChange[]): PatchOperation[] {
  return changes.map((change) => {
    if (change.to === undefined) return { op: 'remove', path: change.path };
    const value = change.path === 'active' ? change.to === true || change.to === 'true' : change.to;
    return { op: change.from === undefined ? 'add' : 'replace', path: change.path, value };
  });
}

export function addMembersOperation(memberIds: readonly string[]): PatchOperation {
  return { op: 'add', path: 'members', value: memberIds.map((value) => ({ value })) };
}

/** The RFC's own form (§3.5.2.2), one single-value filter per member: the form most servers parse. */
export function removeMembersOperations(memberIds: readonly string[]): PatchOperation[] {
  return memberIds.map((id) => ({ op: 'remove', path: `members[value eq ${quoteFilterValue(id)}]` }));
}

export function patchRequest(operations: readonly PatchOperation[]): JsonObject {
  return { schemas: [PATCH_OP_URN], Operations: operations };
}
