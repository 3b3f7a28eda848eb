import { ENTERPRISE_USER_URN } from '../../../src/model/scim.js';
import type { Filter, PatchPath } from '../../../src/platform/filter/ast.js';
import { parsePatchPath } from '../../../src/platform/filter/parser.js';
import { FilterSyntaxError } from '../../../src/platform/filter/tokenizer.js';
import { findKey, getAttribute, isJsonObject, type JsonObject } from '../../../src/platform/json.js';
import { PATCH_OP_URN } from '../../../src/platform/scimSchemas.js';
import { matchesFilter } from './evaluate.js';
import { ScimError } from './scimError.js';

type OperationName = 'add' | 'replace' | 'remove';

/**
 * What `add`/`replace` on a value path that selects no value does: `create` the value the filter
 * names (this emulator's own behaviour), `refuse` it with `400 noTarget`, or `ignore` it.
 */
export type MissingTarget = 'create' | 'refuse' | 'ignore';

/** Attributes the server owns; a PATCH naming them is refused (RFC 7644 §3.5.2, mutability). */
const SERVER_OWNED: ReadonlySet<string> = new Set(['id', 'meta']);

/**
 * Applies a PatchOp message (RFC 7644 §3.5.2) to a copy of `resource`, as real clients send it:
 * op names in any case (Entra sends "Replace"), paths with value filters and extension URNs,
 * path-less operations whose value maps paths or schema URNs to values, and removal of values
 * listed in `value` (Entra's form for members). A filter that matches no value of an
 * `add`/`replace` creates that value when the filter is a plain `sub eq "x"`.
 */
export function applyPatch(
  resource: JsonObject,
  message: unknown,
  missingTarget: MissingTarget = 'create',
): JsonObject {
  const operations = patchOperations(message);
  // Copy on write: every level an operation changes is copied on the way down, so the stored
  // resource is never mutated and a large group is not cloned whole for a few members.
  const patched = { ...resource };
  for (const operation of operations) applyOperation(patched, operation, missingTarget);
  listExtensionSchemas(patched);
  return patched;
}

function patchOperations(message: unknown): JsonObject[] {
  if (!isJsonObject(message) || !hasSchema(message, PATCH_OP_URN))
    throw new ScimError(400, 'invalidSyntax', `a PATCH body must carry the schema ${PATCH_OP_URN}`);
  const operations = getAttribute(message, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0 || !operations.every(isJsonObject))
    throw new ScimError(400, 'invalidSyntax', 'Operations must be a non-empty array of objects');
  return operations;
}

function applyOperation(resource: JsonObject, operation: JsonObject, missingTarget: MissingTarget): void {
  const name = String(getAttribute(operation, 'op') ?? '').toLowerCase();
  if (name !== 'add' && name !== 'replace' && name !== 'remove')
    throw new ScimError(400, 'invalidSyntax', `unknown PATCH op ${JSON.stringify(operation.op)}`);
  const path = getAttribute(operation, 'path');
  const value = getAttribute(operation, 'value');
  if (path === undefined) {
    if (name === 'remove') throw new ScimError(400, 'noTarget', 'remove needs a path');
    if (!isJsonObject(value))
      throw new ScimError(400, 'invalidValue', `${name} without a path needs an object value`);
    for (const [key, entry] of Object.entries(value))
      applyPathless(resource, name, key, entry, missingTarget);
    return;
  }
  if (typeof path !== 'string') throw new ScimError(400, 'invalidPath', 'path must be a string');
  applyAt(resource, name, parsePath(path), value, missingTarget);
}

/** A key of a path-less value is an extension schema (its object holds attributes) or a path. */
function applyPathless(
  resource: JsonObject,
  name: OperationName,
  key: string,
  value: unknown,
  missingTarget: MissingTarget,
): void {
  if (isJsonObject(value) && isExtensionSchema(resource, key)) {
    for (const [attribute, entry] of Object.entries(value))
      applyAt(resource, name, { schema: key, name: attribute }, entry, missingTarget);
    return;
  }
  applyAt(resource, name, parsePath(key), value, missingTarget);
}

function applyAt(
  resource: JsonObject,
  name: OperationName,
  path: PatchPath,
  value: unknown,
  missingTarget: MissingTarget,
): void {
  if (path.schema === undefined && SERVER_OWNED.has(path.name.toLowerCase()))
    throw new ScimError(400, 'mutability', `${path.name} cannot be changed`);
  const container = path.schema === undefined ? resource : extensionObject(resource, path.schema);
  const key = findKey(container, path.name) ?? path.name;
  if (path.valueFilter !== undefined) {
    applyToFilteredValues(
      container,
      key,
      name,
      { ...path, valueFilter: path.valueFilter },
      value,
      missingTarget,
    );
  } else if (path.subAttr !== undefined) {
    applyToSubAttribute(container, key, name, path.subAttr, value);
  } else if (name === 'remove') {
    removeAttribute(container, key, value);
  } else {
    container[key] = name === 'add' ? added(container[key], value) : value;
  }
}

function applyToSubAttribute(
  container: JsonObject,
  key: string,
  name: OperationName,
  subAttr: string,
  value: unknown,
): void {
  const parent = container[key];
  if (Array.isArray(parent))
    throw new ScimError(400, 'invalidPath', `${key} is multi-valued: select values with ${key}[...]`);
  if (name === 'remove') {
    if (!isJsonObject(parent)) return;
    const { [findKey(parent, subAttr) ?? subAttr]: _removed, ...rest } = parent;
    container[key] = rest;
    return;
  }
  const object = isJsonObject(parent) ? { ...parent } : {};
  object[findKey(object, subAttr) ?? subAttr] = value;
  container[key] = object;
}

function applyToFilteredValues(
  container: JsonObject,
  key: string,
  name: OperationName,
  path: PatchPath & { valueFilter: Filter },
  value: unknown,
  missingTarget: MissingTarget,
): void {
  const { valueFilter: filter, subAttr } = path;
  const existing: unknown[] = Array.isArray(container[key]) ? (container[key] as unknown[]) : [];
  const selected = (item: unknown): item is JsonObject => isJsonObject(item) && matchesFilter(filter, item);
  if (name === 'remove' && subAttr === undefined) {
    container[key] = existing.filter((item) => !selected(item));
    return;
  }
  const change = (item: JsonObject): JsonObject => {
    const copy = { ...item };
    if (subAttr === undefined) {
      if (!isJsonObject(value)) throw new ScimError(400, 'invalidValue', `${key}[...] needs an object value`);
      return Object.assign(copy, value);
    }
    const subKey = findKey(copy, subAttr) ?? subAttr;
    if (name === 'remove') delete copy[subKey];
    else copy[subKey] = value;
    return copy;
  };
  const items = existing.map((item) => (selected(item) ? change(item) : item));
  if (name !== 'remove' && !existing.some(selected)) {
    if (missingTarget === 'ignore') return;
    if (missingTarget === 'refuse')
      throw new ScimError(400, 'noTarget', `${key}[...] selects no value to ${name}`);
    items.push(change(valueSelectedBy(filter)));
  }
  container[key] = items;
}

/** `type eq "work"` selects a value it can also create: `{ type: "work" }`. */
function valueSelectedBy(filter: Filter): JsonObject {
  if (filter.kind === 'compare' && filter.operator === 'eq' && filter.path.subAttr === undefined)
    return { [filter.path.name]: filter.value };
  throw new ScimError(400, 'noTarget', 'the value filter matches no value');
}

function removeAttribute(container: JsonObject, key: string, value: unknown): void {
  const existing = container[key];
  if (value === undefined || !Array.isArray(existing)) {
    delete container[key];
    return;
  }
  const removed = new Set((Array.isArray(value) ? value : [value]).map(identityOf));
  container[key] = existing.filter((item) => !removed.has(identityOf(item)));
}

/** `add` appends to multi-valued attributes (skipping values already there) and merges complex ones. */
function added(existing: unknown, value: unknown): unknown {
  if (Array.isArray(existing) || Array.isArray(value)) {
    const result = Array.isArray(existing) ? [...existing] : existing === undefined ? [] : [existing];
    const present = new Set(result.map(identityOf));
    for (const entry of Array.isArray(value) ? value : [value]) {
      const identity = identityOf(entry);
      if (present.has(identity)) continue;
      present.add(identity);
      result.push(entry);
    }
    return result;
  }
  if (isJsonObject(existing) && isJsonObject(value)) return { ...existing, ...value };
  return value;
}

/** Values of multi-valued attributes are the same when their `value`s are (members, emails). */
function identityOf(item: unknown): string {
  if (!isJsonObject(item) || !('value' in item)) return JSON.stringify(item);
  return typeof item.value === 'string' ? `value:${item.value}` : `value:${JSON.stringify(item.value)}`;
}

function extensionObject(resource: JsonObject, schema: string): JsonObject {
  const key = findKey(resource, schema) ?? schema;
  const existing = resource[key];
  const copy: JsonObject = isJsonObject(existing) ? { ...existing } : {};
  resource[key] = copy;
  return copy;
}

function isExtensionSchema(resource: JsonObject, key: string): boolean {
  const lower = key.toLowerCase();
  if (lower === ENTERPRISE_USER_URN.toLowerCase()) return true;
  const schemas = Array.isArray(resource.schemas) ? resource.schemas : [];
  return schemas.some((schema) => typeof schema === 'string' && schema.toLowerCase() === lower);
}

/** An extension attribute set by PATCH brings its schema into `schemas`. */
function listExtensionSchemas(resource: JsonObject): void {
  const schemas: unknown[] = Array.isArray(resource.schemas) ? [...resource.schemas] : [];
  for (const [key, value] of Object.entries(resource)) {
    if (key.toLowerCase().startsWith('urn:') && isJsonObject(value) && !hasSchema(resource, key))
      schemas.push(key);
  }
  resource.schemas = schemas;
}

export function hasSchema(object: JsonObject, urn: string): boolean {
  const schemas = getAttribute(object, 'schemas');
  const lower = urn.toLowerCase();
  return (
    Array.isArray(schemas) &&
    schemas.some((schema) => typeof schema === 'string' && schema.toLowerCase() === lower)
  );
}

function parsePath(text: string): PatchPath {
  try {
    return parsePatchPath(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError)
      throw new ScimError(400, 'invalidPath', `${text}: ${error.message}`);
    throw error;
  }
}
