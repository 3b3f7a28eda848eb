import type { AttributeFilter } from '../model/attributeFilter.js';
import type { AttributeValue } from '../model/directory.js';
import { attributeText } from './attributes.js';

type SourceAttributes = Readonly<Record<string, AttributeValue>>;

/** Returns why the attributes fail the filters (the first failing one), or undefined when all pass. */
export type FilterCheck = (attributes: SourceAttributes) => string | undefined;

interface CompiledFilter {
  readonly passes: (value: string | undefined) => boolean;
  readonly failure: string;
}

/** Entra compares scoping values case-insensitively; numbers and booleans compare as their text. */
const normalize = (value: AttributeValue): string => String(value).toLowerCase();

function valuesOf(filter: AttributeFilter): string[] {
  if (filter.value === undefined) return [];
  return (Array.isArray(filter.value) ? filter.value : [filter.value]).map(normalize);
}

function compileFilter(filter: AttributeFilter): CompiledFilter {
  const values = valuesOf(filter);
  const shown = Array.isArray(filter.value) ? `[${filter.value.join(', ')}]` : String(filter.value);
  const anyValue = (test: (actual: string, expected: string) => boolean) => (actual: string | undefined) =>
    actual !== undefined && values.some((expected) => test(actual, expected));
  const noValue = (actual: string | undefined) => actual === undefined || !values.includes(actual);
  const name = filter.attribute;
  switch (filter.op) {
    case 'eq':
      return { passes: anyValue((a, e) => a === e), failure: `${name} is not ${shown}` };
    case 'in':
      return { passes: anyValue((a, e) => a === e), failure: `${name} not in ${shown}` };
    case 'ne':
      return { passes: noValue, failure: `${name} is ${shown}` };
    case 'notIn':
      return { passes: noValue, failure: `${name} in ${shown}` };
    case 'startsWith':
      return { passes: anyValue((a, e) => a.startsWith(e)), failure: `${name} does not start with ${shown}` };
    case 'endsWith':
      return { passes: anyValue((a, e) => a.endsWith(e)), failure: `${name} does not end with ${shown}` };
    case 'contains':
      return { passes: anyValue((a, e) => a.includes(e)), failure: `${name} does not contain ${shown}` };
    case 'present':
      return { passes: (actual) => actual !== undefined, failure: `${name} is empty` };
    case 'absent':
      return { passes: (actual) => actual === undefined, failure: `${name} is set` };
  }
}

/** Compiles Entra-style scoping filters once; a user is in scope only if every filter passes (AND). */
export function compileFilters(filters: readonly AttributeFilter[]): FilterCheck {
  const compiled = filters.map((filter) => ({ attribute: filter.attribute, ...compileFilter(filter) }));
  return (attributes) => {
    for (const filter of compiled) {
      const actual = attributeText(attributes, filter.attribute)?.toLowerCase();
      if (!filter.passes(actual)) return filter.failure;
    }
    return undefined;
  };
}
