import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseFilter, parsePatchPath } from '../../src/platform/filter/parser.js';
import { anyEqualsFilter, quoteFilterValue } from '../../src/platform/filter/quote.js';
import { FilterSyntaxError } from '../../src/platform/filter/tokenizer.js';
import { matchesFilter } from '../emulators/scim/evaluate.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('parseFilter', () => {
  test('binds and tighter than or, and parentheses override it', () => {
    expect(parseFilter('a eq "1" or b eq "2" and c eq "3"')).toMatchObject({
      kind: 'or',
      left: { kind: 'compare', path: { name: 'a' } },
      right: { kind: 'and', left: { path: { name: 'b' } }, right: { path: { name: 'c' } } },
    });
    expect(parseFilter('(a eq "1" or b eq "2") and c eq "3"')).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
      right: { path: { name: 'c' } },
    });
  });

  test('reads JSON string escapes, unicode, numbers, booleans and null', () => {
    expect(parseFilter(String.raw`userName eq "a\"b\\c \u00e9 Zoë"`)).toMatchObject({
      value: 'a"b\\c é Zoë',
    });
    expect(parseFilter('count ge 10')).toMatchObject({ operator: 'ge', value: 10 });
    expect(parseFilter('active EQ True')).toMatchObject({ operator: 'eq', value: true });
    expect(parseFilter('manager eq null')).toMatchObject({ value: null });
  });

  test('parses not, pr, value paths and URN-qualified attributes', () => {
    expect(parseFilter('not (title pr)')).toEqual({
      kind: 'not',
      filter: { kind: 'present', path: { name: 'title' } },
    });
    expect(parseFilter('emails[type eq "work" and value co "@x.com"]')).toMatchObject({
      kind: 'valuePath',
      path: { name: 'emails' },
      filter: { kind: 'and' },
    });
    expect(parseFilter(`${ENTERPRISE}:manager.value eq "m1"`)).toMatchObject({
      path: { schema: ENTERPRISE, name: 'manager', subAttr: 'value' },
    });
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"')).toMatchObject({
      path: { name: 'userName' },
    });
  });

  test.each([
    ['userName eq "open', /unterminated/],
    ['userName is "a"', /unknown operator/],
    ['userName eq "a" extra', /expected end/],
    ['emails[type eq "work"', /expected \]/],
    ['userName eq', /expected a value/],
    ['a.b.c eq "x"', /too many sub-attributes/],
    ['userName eq "bad \\q escape"', /invalid string escape/],
  ])('refuses %s', (text, message) => {
    expect(() => parseFilter(text)).toThrow(FilterSyntaxError);
    expect(() => parseFilter(text)).toThrow(message);
  });

  test('any string survives quoting: the filter compares exactly that value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        expect(parseFilter(`userName eq ${quoteFilterValue(value)}`)).toMatchObject({ value });
      }),
    );
  });

  test('a value that looks like filter syntax stays one value', () => {
    const hostile = 'x" or userName pr or userName eq "y';
    const filter = parseFilter(anyEqualsFilter('userName', [hostile, 'plain']));
    expect(matchesFilter(filter, { userName: 'someone-else' })).toBe(false);
    expect(matchesFilter(filter, { userName: hostile })).toBe(true);
  });
});

describe('parsePatchPath', () => {
  test.each([
    ['title', { name: 'title' }],
    ['name.givenName', { name: 'name', subAttr: 'givenName' }],
    [`${ENTERPRISE}:department`, { schema: ENTERPRISE, name: 'department' }],
    ['members[value eq "id-1"]', { name: 'members', valueFilter: { kind: 'compare', value: 'id-1' } }],
    ['emails[type eq "work"].value', { name: 'emails', subAttr: 'value', valueFilter: { value: 'work' } }],
  ])('%s', (text, expected) => {
    expect(parsePatchPath(text)).toMatchObject(expected);
  });

  test('refuses a value filter after a sub-attribute and junk after the bracket', () => {
    expect(() => parsePatchPath('name.givenName[type eq "x"]')).toThrow(FilterSyntaxError);
    expect(() => parsePatchPath('emails[type eq "work"] value')).toThrow(FilterSyntaxError);
  });
});

describe('matchesFilter', () => {
  const alice = {
    id: 'u1',
    externalId: 'Ext-1',
    userName: 'Alice@Contoso.com',
    active: true,
    title: 'Engineer',
    emails: [
      { type: 'work', value: 'alice@contoso.com', primary: true },
      { type: 'home', value: 'alice@home.example' },
    ],
    [ENTERPRISE]: { department: 'Sales', manager: { value: 'm1' } },
    meta: { lastModified: '2026-01-02T00:00:00Z' },
  };
  test.each([
    ['userName eq "alice@contoso.com"', true],
    ['externalId eq "ext-1"', false],
    ['externalId eq "Ext-1"', true],
    ['emails.value eq "alice@home.example"', true],
    ['emails eq "ALICE@CONTOSO.COM"', true],
    ['emails[type eq "home" and value ew "@contoso.com"]', false],
    ['emails[type eq "work" and value ew "@contoso.com"]', true],
    ['title sw "eng" and title co "NEER"', true],
    ['title ne "Engineer"', false],
    ['nickName ne "x"', true],
    ['nickName pr', false],
    ['not (nickName pr) and title pr', true],
    ['active eq false', false],
    [`${ENTERPRISE}:department eq "sales"`, true],
    [`${ENTERPRISE}:manager.value eq "m1"`, true],
    ['meta.lastModified gt "2026-01-01T00:00:00Z"', true],
    ['meta.lastModified lt "2026-01-01T00:00:00Z"', false],
  ])('%s → %s', (text, expected) => {
    expect(matchesFilter(parseFilter(text), alice)).toBe(expected);
  });
});
