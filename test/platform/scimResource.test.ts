import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ENTERPRISE_USER_URN } from '../../src/model/scim.js';
import { flattenScimResource, toScimResource } from '../../src/platform/scimResource.js';
import { CORE_USER_URN } from '../../src/platform/scimSchemas.js';

describe('toScimResource', () => {
  test('expands flat paths into core attributes, typed values and the enterprise extension', () => {
    const resource = toScimResource({
      externalId: 'src-1',
      active: false,
      attributes: {
        userName: 'alice@contoso.com',
        'name.givenName': 'Alice',
        'name.familyName': 'Liddell',
        'emails[type eq "work"].value': 'alice@contoso.com',
        'phoneNumbers[type eq "mobile"].value': '+1 555',
        [`${ENTERPRISE_USER_URN}:department`]: 'Sales',
        [`${ENTERPRISE_USER_URN}:manager.value`]: 'mgr-1',
      },
    });
    expect(resource).toEqual({
      schemas: [CORE_USER_URN, ENTERPRISE_USER_URN],
      externalId: 'src-1',
      active: false,
      userName: 'alice@contoso.com',
      name: { givenName: 'Alice', familyName: 'Liddell' },
      emails: [{ type: 'work', value: 'alice@contoso.com', primary: true }],
      phoneNumbers: [{ type: 'mobile', value: '+1 555', primary: true }],
      [ENTERPRISE_USER_URN]: { department: 'Sales', manager: { value: 'mgr-1' } },
    });
  });

  test('lists only the core schema when no extension attribute is set', () => {
    expect(toScimResource({ externalId: 'e', active: true, attributes: { userName: 'u' } }).schemas).toEqual([
      CORE_USER_URN,
    ]);
  });

  test('refuses value filters it cannot turn into a value', () => {
    expect(() =>
      toScimResource({ externalId: 'e', active: true, attributes: { 'emails[type pr].value': 'x' } }),
    ).toThrow(/cannot expand/);
  });
});

describe('flattenScimResource', () => {
  test('reads every string attribute of a provider resource, preferring the primary of a type', () => {
    const flat = flattenScimResource({
      schemas: [CORE_USER_URN, ENTERPRISE_USER_URN],
      id: 'p1',
      externalId: 'e1',
      active: true,
      userName: 'bob@x.com',
      nickName: 'Bobby',
      name: { formatted: 'Bob B', givenName: 'Bob' },
      emails: [
        { type: 'work', value: 'old@x.com' },
        { type: 'work', value: 'bob@x.com', primary: true },
        { value: 'untyped@x.com' },
      ],
      x509Certificates: ['not-typed'],
      groups: [{ value: 'g1', display: 'Sales' }],
      loginCount: 3,
      meta: { resourceType: 'User' },
      [ENTERPRISE_USER_URN]: { employeeNumber: '42', manager: { value: 'm', displayName: 'Boss' } },
    });
    expect(flat).toEqual({
      userName: 'bob@x.com',
      nickName: 'Bobby',
      'name.formatted': 'Bob B',
      'name.givenName': 'Bob',
      'emails[type eq "work"].value': 'bob@x.com',
      [`${ENTERPRISE_USER_URN}:employeeNumber`]: '42',
      [`${ENTERPRISE_USER_URN}:manager.value`]: 'm',
      [`${ENTERPRISE_USER_URN}:manager.displayName`]: 'Boss',
    });
  });

  test('is the inverse of toScimResource', () => {
    const name = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,8}$/);
    const path = fc.oneof(
      name.filter(
        (n) =>
          !['schemas', 'id', 'externalid', 'active', 'meta', 'groups', 'password'].includes(n.toLowerCase()),
      ),
      fc.tuple(fc.constantFrom('name', 'address'), name).map(([parent, sub]) => `${parent}.${sub}`),
      fc
        .tuple(
          fc.constantFrom('emails', 'phoneNumbers'),
          fc.string(),
          name.filter((n) => !['type', 'primary'].includes(n)),
        )
        .map(([parent, type, sub]) => `${parent}[type eq ${JSON.stringify(type)}].${sub}`),
      name.map((attribute) => `${ENTERPRISE_USER_URN}:${attribute}`),
      name.map((sub) => `${ENTERPRISE_USER_URN}:manager.${sub}`),
    );
    fc.assert(
      fc.property(fc.dictionary(path, fc.string()), (attributes) => {
        // A simple attribute and a complex one of the same name cannot both exist in one resource.
        const tops = Object.keys(attributes).map((key) => key.split(/[.[]/)[0]);
        fc.pre(
          !Object.keys(attributes).some(
            (key) => !/[.[]/.test(key) && tops.filter((t) => t === key).length > 1,
          ),
        );
        fc.pre(!(`${ENTERPRISE_USER_URN}:manager` in attributes));
        expect(flattenScimResource(toScimResource({ externalId: 'e', active: true, attributes }))).toEqual(
          attributes,
        );
      }),
    );
  });
});
