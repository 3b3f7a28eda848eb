import type { AttributeChange } from '../model/plan.js';
import type { ScimAttributes } from '../model/scim.js';
import { quoteFilterValue } from './filter/quote.js';
import { findKey, getAttribute, isJsonObject, type JsonObject } from './json.js';
import { PATCH_OP_URN } from './scimSchemas.js';
import { type TypedElementPath, typedElementOf } from './typedElement.js';

export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: unknown;
}

/**
 * One operation per change (RFC 7644 §3.5.2), chosen from what the platform holds: `replace` when
 * the attribute had a value, `add` when it had none, `remove` when it goes. A change into an
 * element of a multi-valued attribute that the platform does not have (no `emails` value of type
 * `work`) adds the whole element instead of naming it by a value filter: servers refuse a filter
 * that selects nothing (`400 noTarget`) or ignore it, and the value would never arrive.
 *
 * `known` is what dirsync knows the platform holds for this object: the copy it read, or the
 * desired state the changes lead to (its paths that no change names are on the platform already).
 */
export function changeOperations(
  changes: readonly AttributeChange[],
  known: ScimAttributes = {},
): PatchOperation[] {
  const present = presentElements(changes, known);
  const operations: PatchOperation[] = [];
  const newElements = new Map<string, JsonObject>();
  for (const change of changes) {
    const target = change.to === undefined ? undefined : typedElementOf(change.path);
    if (target === undefined || present.elements.has(target.elementKey)) {
      operations.push(singleOperation(change));
      continue;
    }
    let element = newElements.get(target.elementKey);
    if (element === undefined) {
      const first = !present.attributes.has(target.attribute.toLowerCase());
      element = { [target.selectorName]: target.selectorValue, ...(first && { primary: true }) };
      newElements.set(target.elementKey, element);
      // The whole element's operation stands where its first change stood.
      operations.push({ op: 'add', path: target.attribute, value: [element] });
    }
    element[target.subAttr] = scalar(change);
  }
  return operations;
}

/** Whether an operation names a value path (`emails[type eq "work"].value`), which some servers refuse. */
export function hasValuePathOperation(operations: readonly PatchOperation[]): boolean {
  return operations.some((operation) => operation.path.includes('['));
}

/**
 * The same changes with every multi-valued attribute they touch sent whole (`replace` of
 * `emails` with its complete new list), built on the resource as the platform holds it (read just before):
 * the form every server takes, for servers that refuse or ignore value-path filters.
 */
export function wholeAttributeOperations(
  changes: readonly AttributeChange[],
  resource: JsonObject,
): PatchOperation[] {
  const operations: PatchOperation[] = [];
  const lists = new Map<string, JsonObject[]>();
  for (const change of changes) {
    const target = typedElementOf(change.path);
    if (target === undefined) {
      operations.push(singleOperation(change));
      continue;
    }
    let list = lists.get(target.attribute);
    if (list === undefined) {
      list = currentList(resource, target).map((item) => ({ ...item }));
      lists.set(target.attribute, list);
      operations.push({ op: 'replace', path: target.attribute, value: list });
    }
    // The platform may spell the selector `Type`: attribute names are case-insensitive (RFC 7643 §2.1).
    const selected = (item: JsonObject) =>
      sameText(getAttribute(item, target.selectorName), target.selectorValue);
    let element = list.find(selected);
    if (element === undefined) {
      if (change.to === undefined) continue;
      element = { [target.selectorName]: target.selectorValue, ...(list.length === 0 && { primary: true }) };
      list.push(element);
    }
    const key = findKey(element, target.subAttr) ?? target.subAttr;
    if (change.to === undefined) delete element[key];
    else element[key] = scalar(change);
  }
  return operations;
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

function singleOperation(change: AttributeChange): PatchOperation {
  if (change.to === undefined) return { op: 'remove', path: change.path };
  return { op: change.from === undefined ? 'add' : 'replace', path: change.path, value: scalar(change) };
}

/** `active` travels as a boolean, everything else as the string it is. */
function scalar(change: AttributeChange): string | boolean | undefined {
  return change.path === 'active' ? change.to === true || change.to === 'true' : change.to;
}

/** The elements (and multi-valued attributes) the platform is known to hold. */
function presentElements(
  changes: readonly AttributeChange[],
  known: ScimAttributes,
): { elements: Set<string>; attributes: Set<string> } {
  const added = new Set(changes.filter((change) => change.from === undefined).map((change) => change.path));
  const paths = [
    ...Object.keys(known).filter((path) => !added.has(path)),
    ...changes.filter((change) => change.from !== undefined).map((change) => change.path),
  ];
  const elements = new Set<string>();
  const attributes = new Set<string>();
  for (const path of paths) {
    const target = typedElementOf(path);
    if (target === undefined) continue;
    elements.add(target.elementKey);
    attributes.add(target.attribute.toLowerCase());
  }
  return { elements, attributes };
}

function currentList(resource: JsonObject, target: TypedElementPath): JsonObject[] {
  const container = target.schema === undefined ? resource : resource[findKey(resource, target.schema) ?? ''];
  if (!isJsonObject(container)) return [];
  const list = container[findKey(container, target.name) ?? target.name];
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

function sameText(value: unknown, expected: string): boolean {
  return typeof value === 'string' && value.toLowerCase() === expected.toLowerCase();
}
