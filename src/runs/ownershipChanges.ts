/**
 * Which platform objects a batch of ops made this tenant own or let go, collected while the ops
 * run and written with the batch's outcomes: a few Redis commands per batch, not two per op.
 */
export type ObjectKind = 'user' | 'group';

export class OwnershipChanges {
  readonly owned: Readonly<Record<ObjectKind, Map<string, string>>> = { user: new Map(), group: new Map() };
  readonly disowned: Readonly<Record<ObjectKind, Set<string>>> = { user: new Set(), group: new Set() };

  own(kind: ObjectKind, externalId: string, platformId: string): void {
    this.owned[kind].set(externalId, platformId);
    this.disowned[kind].delete(externalId);
  }

  disown(kind: ObjectKind, externalId: string): void {
    this.disowned[kind].add(externalId);
    this.owned[kind].delete(externalId);
  }
}
