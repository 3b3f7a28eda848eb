import { describe, expect, it } from 'vitest';
import { compileFilters } from '../../src/engine/filters.js';

const check = (
  filters: Parameters<typeof compileFilters>[0],
  attributes: Record<string, string | number | boolean>,
) => compileFilters(filters)(attributes);

describe('compileFilters', () => {
  it('passes everyone when there are no filters', () => {
    expect(check([], {})).toBeUndefined();
  });

  it('compares strings case-insensitively, and numbers and booleans as their text', () => {
    expect(
      check([{ attribute: 'department', op: 'eq', value: 'sales' }], { department: 'SALES' }),
    ).toBeUndefined();
    expect(check([{ attribute: 'level', op: 'eq', value: 3 }], { level: '3' })).toBeUndefined();
    expect(
      check([{ attribute: 'contractor', op: 'eq', value: true }], { contractor: 'True' }),
    ).toBeUndefined();
  });

  it('explains which filter failed, as operators read it', () => {
    const inList = { attribute: 'department', op: 'in' as const, value: ['Sales', 'Support'] };
    expect(check([inList], { department: 'Engineering' })).toBe('department not in [Sales, Support]');
    expect(check([inList], {})).toBe('department not in [Sales, Support]');
    expect(check([{ attribute: 'title', op: 'present' }], { title: '' })).toBe('title is empty');
  });

  it('treats an absent value as passing ne and notIn, and failing the positive operators', () => {
    expect(check([{ attribute: 'department', op: 'ne', value: 'HR' }], {})).toBeUndefined();
    expect(check([{ attribute: 'department', op: 'notIn', value: ['HR'] }], {})).toBeUndefined();
    for (const op of ['eq', 'startsWith', 'endsWith', 'contains'] as const) {
      expect(check([{ attribute: 'department', op, value: 'x' }], {})).toBeDefined();
    }
  });

  it.each([
    ['startsWith', 'Sal', 'Sales', true],
    ['startsWith', 'les', 'Sales', false],
    ['endsWith', 'LES', 'Sales', true],
    ['contains', 'ale', 'Sales', true],
    ['contains', 'xyz', 'Sales', false],
    ['ne', 'sales', 'Sales', false],
    ['notIn', ['HR', 'Legal'], 'Sales', true],
    ['notIn', ['hr', 'sales'], 'Sales', false],
    ['absent', undefined, 'Sales', false],
    ['present', undefined, 'Sales', true],
  ] as const)('%s %j on %s passes: %s', (op, value, actual, passes) => {
    const filter =
      value === undefined ? { attribute: 'd', op } : { attribute: 'd', op, value: value as string };
    expect(check([filter], { d: actual }) === undefined).toBe(passes);
  });

  it('requires every filter to pass (AND)', () => {
    const filters = [
      { attribute: 'department', op: 'eq', value: 'Sales' },
      { attribute: 'country', op: 'eq', value: 'FR' },
    ] as const;
    expect(check(filters, { department: 'Sales', country: 'FR' })).toBeUndefined();
    expect(check(filters, { department: 'Sales', country: 'DE' })).toBe('country is not FR');
  });

  it('does not read inherited properties as attributes', () => {
    expect(check([{ attribute: 'constructor', op: 'present' }], {})).toBe('constructor is empty');
  });
});
