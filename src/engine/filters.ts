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

/** One filter checked against one user's attributes, for an operator asking why. */
export interface FilterVerdict {
  /** The filter as configured, e.g. `department in [Sales, Support]`. */
  readonly filter: string;
  readonly passed: boolean;
  /** The user's value as the filter compared it (before case folding); null when empty. */
  readonly actual: string | null;
}

/** Entra compares scoping values case-insensitively; numbers and booleans compare as their text. */
const normalize = (value: AttributeValue): string => String(value).toLowerCase();

function valuesOf(filter: AttributeFilter): string[] {
  if (filter.value === undefined) return [];
  return (Array.isArray(filter.value) ? filter.value : [filter.value]).map(normalize);
}

function shownValue(filter: AttributeFilter): string {
  return Array.isArray(filter.value) ? `[${filter.value.join(', ')}]` : String(filter.value);
}

function describeFilter(filter: AttributeFilter): string {
  const valueless = filter.op === 'present' || filter.op === 'absent';
  return valueless
    ? `${filter.attribute} ${filter.op}`
    : `${filter.attribute} ${filter.op} ${shownValue(filter)}`;
}

function compileFilter(filter: AttributeFilter): CompiledFilter {
  const values = valuesOf(filter);
  const shown = shownValue(filter);
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

/** Every filter checked against one user, in configuration order: which passed, which failed, on what value. */
export function checkEachFilter(
  filters: readonly AttributeFilter[],
  attributes: SourceAttributes,
): FilterVerdict[] {
  return filters.map((filter) => {
    const actual = attributeText(attributes, filter.attribute);
    return {
      filter: describeFilter(filter),
      passed: compileFilter(filter).passes(actual?.toLowerCase()),
      actual: actual ?? null,
    };
  });
}
