import type { Filter } from '../../../src/platform/filter/ast.js';
import type { JsonObject } from '../../../src/platform/json.js';
import { getAttribute } from '../../../src/platform/json.js';
import { isCaseExact, matchesFilter } from './evaluate.js';

export type StoredResource = JsonObject & { readonly id: string };

/**
 * One resource type in memory, in creation order, indexed by some top-level string attributes
 * so that the filters clients send most (`externalId eq "a" or externalId eq "b"`) cost a lookup
 * rather than a scan. Stored objects are never mutated: a change stores a new object.
 */
export class ResourceTable {
  readonly #resources = new Map<string, StoredResource>();
  readonly #sequence = new Map<string, number>();
  readonly #indexes = new Map<string, Map<string, Set<string>>>();
  #nextSequence = 0;
  /** Ids in creation order; dropped on delete and rebuilt when next asked for. */
  #order: string[] | undefined = [];

  constructor(indexedAttributes: readonly string[]) {
    for (const attribute of indexedAttributes) this.#indexes.set(attribute.toLowerCase(), new Map());
  }

  get size(): number {
    return this.#resources.size;
  }

  get(id: string): StoredResource | undefined {
    return this.#resources.get(id);
  }

  /** Ids whose `attribute` equals `value` (case as the attribute's caseExact says). */
  idsWith(attribute: string, value: string): readonly string[] {
    const index = this.#indexes.get(attribute.toLowerCase());
    if (index === undefined) throw new Error(`${attribute} is not indexed`);
    return [...(index.get(indexKey(attribute, value)) ?? [])];
  }

  put(resource: StoredResource): void {
    const previous = this.#resources.get(resource.id);
    if (previous) this.#unindex(previous);
    else {
      this.#sequence.set(resource.id, this.#nextSequence++);
      this.#order?.push(resource.id);
    }
    this.#resources.set(resource.id, resource);
    this.#index(resource);
  }

  delete(id: string): StoredResource | undefined {
    const previous = this.#resources.get(id);
    if (previous === undefined) return undefined;
    this.#unindex(previous);
    this.#resources.delete(id);
    this.#sequence.delete(id);
    this.#order = undefined;
    return previous;
  }

  clear(): void {
    this.#resources.clear();
    this.#sequence.clear();
    for (const index of this.#indexes.values()) index.clear();
    this.#order = [];
  }

  /** Ids of the resources matching `filter` (all without one), in creation order. */
  query(filter?: Filter, allCaseExact = false): readonly string[] {
    if (filter === undefined) return this.#orderedIds();
    const candidates = this.#candidates(filter);
    const ids =
      candidates === undefined
        ? this.#orderedIds()
        : [...candidates].sort((left, right) => this.#sequence.get(left)! - this.#sequence.get(right)!);
    return ids.filter((id) => matchesFilter(filter, this.#resources.get(id)!, allCaseExact));
  }

  values(): IterableIterator<StoredResource> {
    return this.#resources.values();
  }

  #orderedIds(): string[] {
    this.#order ??= [...this.#resources.keys()];
    return this.#order;
  }

  /** A superset of the matches when the filter pins indexed attributes; undefined means scan. */
  #candidates(filter: Filter): Set<string> | undefined {
    switch (filter.kind) {
      case 'compare': {
        if (filter.path.name === 'id' && filter.operator === 'eq' && typeof filter.value === 'string')
          return new Set(this.#resources.has(filter.value) ? [filter.value] : []);
        const index = this.#indexes.get(filter.path.name.toLowerCase());
        if (filter.operator !== 'eq' || typeof filter.value !== 'string' || index === undefined)
          return undefined;
        if (filter.path.schema !== undefined || filter.path.subAttr !== undefined) return undefined;
        return index.get(indexKey(filter.path.name, filter.value)) ?? new Set();
      }
      case 'or': {
        const left = this.#candidates(filter.left);
        const right = left && this.#candidates(filter.right);
        return left && right ? new Set([...left, ...right]) : undefined;
      }
      case 'and':
        return this.#candidates(filter.left) ?? this.#candidates(filter.right);
      default:
        return undefined;
    }
  }

  #index(resource: StoredResource): void {
    for (const [attribute, index] of this.#indexes) {
      const value = getAttribute(resource, attribute);
      if (typeof value !== 'string') continue;
      const key = indexKey(attribute, value);
      let ids = index.get(key);
      if (ids === undefined) {
        ids = new Set();
        index.set(key, ids);
      }
      ids.add(resource.id);
    }
  }

  #unindex(resource: StoredResource): void {
    for (const [attribute, index] of this.#indexes) {
      const value = getAttribute(resource, attribute);
      if (typeof value !== 'string') continue;
      const key = indexKey(attribute, value);
      const ids = index.get(key);
      ids?.delete(resource.id);
      if (ids?.size === 0) index.delete(key);
    }
  }
}

function indexKey(attribute: string, value: string): string {
  return isCaseExact(attribute) ? value : value.toLowerCase();
}
