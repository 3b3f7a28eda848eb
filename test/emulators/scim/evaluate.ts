import type {
  AttributePath,
  CompareOperator,
  Filter,
  FilterValue,
} from '../../../src/platform/filter/ast.js';
import { getAttribute, isJsonObject, type JsonObject } from '../../../src/platform/json.js';

/** Attributes compared exactly (RFC 7643 `caseExact: true`); every other string ignores case. */
const CASE_EXACT: ReadonlySet<string> = new Set(['id', 'externalid', '$ref']);

export function isCaseExact(attribute: string): boolean {
  return CASE_EXACT.has(attribute.toLowerCase());
}

/**
 * Whether `resource` (or one value of a multi-valued attribute, inside a value path) matches.
 * `allCaseExact` compares every string exactly, as some servers wrongly do.
 */
export function matchesFilter(filter: Filter, resource: JsonObject, allCaseExact = false): boolean {
  const matches = (inner: Filter, object: JsonObject) => matchesFilter(inner, object, allCaseExact);
  switch (filter.kind) {
    case 'and':
      return matches(filter.left, resource) && matches(filter.right, resource);
    case 'or':
      return matches(filter.left, resource) || matches(filter.right, resource);
    case 'not':
      return !matches(filter.filter, resource);
    case 'present':
      return valuesAt(resource, filter.path).some(isPresent);
    case 'valuePath':
      return valuesAt(resource, { ...filter.path, subAttr: undefined }).some(
        (item) => isJsonObject(item) && matches(filter.filter, item),
      );
    case 'compare': {
      const caseExact = allCaseExact || isCaseExact(filter.path.subAttr ?? filter.path.name);
      const values = valuesAt(resource, filter.path);
      if (filter.operator === 'ne')
        return !values.some((value) => compare('eq', value, filter.value, caseExact));
      return values.some((value) => compare(filter.operator, value, filter.value, caseExact));
    }
  }
}

/**
 * Every value an attribute path reaches: arrays are spread, and a multi-valued complex attribute
 * named without a sub-attribute stands for its `value`s (`emails eq "a@x"`).
 */
function valuesAt(resource: JsonObject, path: AttributePath): unknown[] {
  const container = path.schema === undefined ? resource : getAttribute(resource, path.schema);
  if (!isJsonObject(container)) return [];
  const top = spread(getAttribute(container, path.name));
  if (path.subAttr !== undefined) {
    const subAttr = path.subAttr;
    return top.flatMap((item) => (isJsonObject(item) ? spread(getAttribute(item, subAttr)) : []));
  }
  return top;
}

function spread(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isPresent(value: unknown): boolean {
  if (value === null || value === '') return false;
  return !(isJsonObject(value) && Object.keys(value).length === 0);
}

function compare(
  operator: CompareOperator,
  actual: unknown,
  expected: FilterValue,
  caseExact: boolean,
): boolean {
  const value = isJsonObject(actual) ? actual.value : actual;
  if (expected === null) return operator === 'eq' && (value === null || value === undefined);
  if (typeof expected === 'boolean') return operator === 'eq' && value === expected;
  if (typeof expected === 'number') return typeof value === 'number' && ordered(operator, value, expected);
  if (typeof value !== 'string') return false;
  const left = caseExact ? value : value.toLowerCase();
  const right = caseExact ? expected : expected.toLowerCase();
  switch (operator) {
    case 'co':
      return left.includes(right);
    case 'sw':
      return left.startsWith(right);
    case 'ew':
      return left.endsWith(right);
    default:
      return ordered(operator, left, right);
  }
}

function ordered<T extends string | number>(operator: CompareOperator, left: T, right: T): boolean {
  switch (operator) {
    case 'eq':
      return left === right;
    case 'gt':
      return left > right;
    case 'ge':
      return left >= right;
    case 'lt':
      return left < right;
    case 'le':
      return left <= right;
    default:
      return false;
  }
}
