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
    expect(check([{ attribute: 'department', op: 'ne', value: 'HR' }], { department: 'hr' })).toBe(
      'department is HR',
    );
    expect(
      check([{ attribute: 'department', op: 'notIn', value: ['HR', 'Legal'] }], { department: 'Legal' }),
    ).toBe('department in [HR, Legal]');
  });

  it('treats an absent value as passing ne and notIn, and failing the positive operators', () => {
    expect(check([{ attribute: 'department', op: 'ne', value: 'HR' }], {})).toBeUndefined();
    expect(check([{ attribute: 'department', op: 'notIn', value: ['HR'] }], {})).toBeUndefined();
    const failures = {
      eq: 'department is not x',
      startsWith: 'department does not start with x',
      endsWith: 'department does not end with x',
      contains: 'department does not contain x',
    } as const;
    for (const [op, failure] of Object.entries(failures) as [keyof typeof failures, string][]) {
      expect(check([{ attribute: 'department', op, value: 'x' }], {})).toBe(failure);
    }
  });

  it('keeps a look-alike domain out of an endsWith scope', () => {
    const contosoOnly = [{ attribute: 'mail', op: 'endsWith', value: '@contoso.com' }] as const;
    expect(check(contosoOnly, { mail: 'ann@Contoso.com' })).toBeUndefined();
    expect(check(contosoOnly, { mail: 'a@contoso.com.evil.example' })).toBe(
      'mail does not end with @contoso.com',
    );
  });

  it('scopes in the users who do not have an attribute with absent, and names it on those who do', () => {
    const noContractorFlag = [{ attribute: 'contractorCompany', op: 'absent' }] as const;
    expect(check(noContractorFlag, { department: 'Sales' })).toBeUndefined();
    expect(check(noContractorFlag, { contractorCompany: '' })).toBeUndefined();
    expect(check(noContractorFlag, { contractorCompany: 'Fabrikam' })).toBe('contractorCompany is set');
  });

  it.each([
    ['startsWith', 'Sal', 'Sales', true],
    ['startsWith', 'les', 'Sales', false],
    ['endsWith', 'LES', 'Sales', true],
    ['endsWith', 'Sal', 'Sales', false],
    ['eq', 'Sale', 'Sales', false],
    ['in', ['HR', 'sales'], 'Sales', true],
    ['ne', 'HR', 'Sales', true],
    ['absent', undefined, undefined, true],
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
    const attributes: Record<string, string> = actual === undefined ? {} : { d: actual };
    expect(check([filter], attributes) === undefined).toBe(passes);
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
