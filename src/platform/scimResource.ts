import type { ScimAttributes, ScimPath, ScimUserState } from '../model/scim.js';
import type { PatchPath } from './filter/ast.js';
import { quoteFilterValue } from './filter/quote.js';
import { isJsonObject, type JsonObject } from './json.js';
import { CORE_USER_URN } from './scimSchemas.js';
import { parsedPath } from './typedElement.js';

/** Attributes that are not part of the flat map: identity, state and server-owned data. */
const NOT_FLATTENED: ReadonlySet<string> = new Set([
  'schemas',
  'id',
  'externalid',
  'active',
  'meta',
  'groups',
  'password',
]);
/** Sub-attributes that select or rank a value of a multi-valued attribute rather than describe it. */
const SELECTOR_SUB_ATTRIBUTES: ReadonlySet<string> = new Set(['type', 'primary']);

/**
 * Expands the flat map into a SCIM User (RFC 7643 §4.1): `name.givenName` into `name`,
 * `emails[type eq "work"].value` into an `emails` item (the first item of each attribute is
 * primary), extension paths into their schema's object, listed in `schemas`.
 */
export function toScimResource(user: ScimUserState): JsonObject {
  const resource: JsonObject = { externalId: user.externalId, active: user.active };
  const schemas = new Set([CORE_USER_URN]);
  for (const [path, value] of Object.entries(user.attributes)) {
    const parsed = parsedPath(path);
    let container = resource;
    if (parsed.schema !== undefined) {
      schemas.add(parsed.schema);
      container = childObject(resource, parsed.schema);
    }
    setFlatValue(container, parsed, value, path);
  }
  return { schemas: [...schemas], ...resource };
}

/**
 * The inverse of `toScimResource` for any User: every string-valued simple attribute, complex
 * sub-attribute, typed multi-valued sub-attribute and extension attribute, keyed by its path.
 * Of two values with the same type, the primary one (else the first) is taken.
 */
export function flattenScimResource(resource: JsonObject): ScimAttributes {
  const attributes: Record<ScimPath, string> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (NOT_FLATTENED.has(key.toLowerCase())) continue;
    if (key.toLowerCase().startsWith('urn:') && isJsonObject(value)) {
      flattenAttributes(value, `${key}:`, attributes);
    } else {
      flattenAttribute(key, value, '', attributes);
    }
  }
  return attributes;
}

function flattenAttributes(object: JsonObject, prefix: string, into: Record<ScimPath, string>): void {
  for (const [key, value] of Object.entries(object)) flattenAttribute(key, value, prefix, into);
}

function flattenAttribute(key: string, value: unknown, prefix: string, into: Record<ScimPath, string>): void {
  if (typeof value === 'string') {
    into[`${prefix}${key}`] = value;
  } else if (Array.isArray(value)) {
    for (const item of preferredItemPerType(value)) {
      const selector = `${prefix}${key}[type eq ${quoteFilterValue(item.type)}]`;
      for (const [subKey, subValue] of Object.entries(item.value)) {
        if (typeof subValue === 'string' && !SELECTOR_SUB_ATTRIBUTES.has(subKey))
          into[`${selector}.${subKey}`] = subValue;
      }
    }
  } else if (isJsonObject(value)) {
    for (const [subKey, subValue] of Object.entries(value)) {
      if (typeof subValue === 'string') into[`${prefix}${key}.${subKey}`] = subValue;
    }
  }
}

function preferredItemPerType(items: readonly unknown[]): { type: string; value: JsonObject }[] {
  const byType = new Map<string, JsonObject>();
  for (const item of items) {
    if (!isJsonObject(item) || typeof item.type !== 'string') continue;
    const current = byType.get(item.type);
    if (current === undefined || (item.primary === true && current.primary !== true))
      byType.set(item.type, item);
  }
  return [...byType].map(([type, value]) => ({ type, value }));
}

function setFlatValue(container: JsonObject, path: PatchPath, value: string, original: string): void {
  if (path.valueFilter === undefined) {
    if (path.subAttr === undefined) container[path.name] = value;
    else childObject(container, path.name)[path.subAttr] = value;
    return;
  }
  const selector = path.valueFilter;
  if (
    path.subAttr === undefined ||
    selector.kind !== 'compare' ||
    selector.operator !== 'eq' ||
    typeof selector.value !== 'string' ||
    selector.path.subAttr !== undefined
  ) {
    throw new Error(`cannot expand ${original}: only X[sub eq "value"].sub paths are supported`);
  }
  const items = childArray(container, path.name);
  const selectorName = selector.path.name;
  let item = items.find((candidate) => candidate[selectorName] === selector.value);
  if (item === undefined) {
    item = { [selectorName]: selector.value, ...(items.length === 0 && { primary: true }) };
    items.push(item);
  }
  item[path.subAttr] = value;
}

function childObject(container: JsonObject, name: string): JsonObject {
  const existing = container[name];
  if (isJsonObject(existing)) return existing;
  const created: JsonObject = {};
  container[name] = created;
  return created;
}

function childArray(container: JsonObject, name: string): JsonObject[] {
  const existing = container[name];
  if (Array.isArray(existing)) return existing as JsonObject[];
  const created: JsonObject[] = [];
  container[name] = created;
  return created;
}
