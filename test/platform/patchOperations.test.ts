import { describe, expect, test } from 'vitest';
import {
  addMembersOperation,
  changeOperations,
  hasValuePathOperation,
  patchRequest,
  removeMembersOperations,
  wholeAttributeOperations,
} from '../../src/platform/patchOperations.js';

const WORK_EMAIL = 'emails[type eq "work"].value';
const WORK_STREET = 'addresses[type eq "work"].streetAddress';
const WORK_LOCALITY = 'addresses[type eq "work"].locality';
const ACME_USER = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
const DOOR_BADGE = `${ACME_USER}:badges[kind eq "door"].code`;

describe('PATCH operations chosen from what the platform holds', () => {
  test('an element the platform lacks is added whole, primary when it is the first of its attribute', () => {
    expect(changeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }], { userName: 'a@x.com' })).toEqual([
      { op: 'add', path: 'emails', value: [{ type: 'work', value: 'a@x.com', primary: true }] },
    ]);
    expect(
      changeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }], { 'emails[type eq "home"].value': 'a@home' }),
    ).toEqual([{ op: 'add', path: 'emails', value: [{ type: 'work', value: 'a@x.com' }] }]);
  });

  test('two new sub-attributes of one absent element travel as one element', () => {
    expect(
      changeOperations([
        { path: WORK_STREET, to: '1 Main St' },
        { path: 'title', to: 'Lead' },
        { path: WORK_LOCALITY, to: 'Springfield' },
      ]),
    ).toEqual([
      {
        op: 'add',
        path: 'addresses',
        value: [{ type: 'work', streetAddress: '1 Main St', locality: 'Springfield', primary: true }],
      },
      { op: 'add', path: 'title', value: 'Lead' },
    ]);
  });

  test('an element the platform has is changed through its value path, never duplicated', () => {
    // Known from the platform copy by a sub-attribute dirsync does not map.
    expect(
      changeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }], { 'emails[type eq "work"].display': 'A' }),
    ).toEqual([{ op: 'add', path: WORK_EMAIL, value: 'a@x.com' }]);
    // Known from the desired state: an unchanged sub-attribute is on the platform already.
    expect(
      changeOperations([{ path: WORK_STREET, to: '1 Main St' }], {
        [WORK_STREET]: '1 Main St',
        [WORK_LOCALITY]: 'Springfield',
      }),
    ).toEqual([{ op: 'add', path: WORK_STREET, value: '1 Main St' }]);
    // Known from the change itself: it had a value.
    expect(changeOperations([{ path: WORK_EMAIL, from: 'old@x.com', to: 'a@x.com' }])).toEqual([
      { op: 'replace', path: WORK_EMAIL, value: 'a@x.com' },
    ]);
    expect(changeOperations([{ path: WORK_EMAIL, from: 'old@x.com' }])).toEqual([
      { op: 'remove', path: WORK_EMAIL },
    ]);
  });

  test('the whole-list form rewrites the selected element and keeps the others', () => {
    const resource = {
      emails: [
        { type: 'home', value: 'a@home', primary: true },
        { type: 'Work', value: 'old@x.com', display: 'Old' },
      ],
    };
    expect(
      wholeAttributeOperations(
        [
          { path: WORK_EMAIL, from: 'old@x.com', to: 'a@x.com' },
          { path: 'active', from: true, to: false },
        ],
        resource,
      ),
    ).toEqual([
      {
        op: 'replace',
        path: 'emails',
        value: [
          { type: 'home', value: 'a@home', primary: true },
          { type: 'Work', value: 'a@x.com', display: 'Old' },
        ],
      },
      { op: 'replace', path: 'active', value: false },
    ]);
    expect(resource.emails[1]?.value).toBe('old@x.com');
  });

  test('the whole-list form finds the element whatever case the platform spells its selector in', () => {
    const resource = { emails: [{ Type: 'work', Value: 'old@x.com' }] };
    expect(
      wholeAttributeOperations([{ path: WORK_EMAIL, from: 'old@x.com', to: 'a@x.com' }], resource),
    ).toEqual([{ op: 'replace', path: 'emails', value: [{ Type: 'work', Value: 'a@x.com' }] }]);
    expect(wholeAttributeOperations([{ path: WORK_EMAIL, from: 'old@x.com' }], resource)).toEqual([
      { op: 'replace', path: 'emails', value: [{ Type: 'work' }] },
    ]);
  });
});

describe('PATCH operations for plain attributes', () => {
  test('no change sends no operation', () => {
    expect(changeOperations([])).toEqual([]);
    expect(changeOperations([], { userName: 'a@x.com' })).toEqual([]);
    expect(wholeAttributeOperations([], { emails: [{ type: 'work', value: 'a@x.com' }] })).toEqual([]);
  });

  test('a new value is added, a changed value replaced, a cleared attribute removed', () => {
    expect(
      changeOperations([
        { path: 'title', to: 'Lead' },
        { path: 'name.givenName', from: 'Al', to: 'Alan' },
        { path: 'department', from: 'Sales' },
      ]),
    ).toEqual([
      { op: 'add', path: 'title', value: 'Lead' },
      { op: 'replace', path: 'name.givenName', value: 'Alan' },
      { op: 'remove', path: 'department' },
    ]);
  });

  test('active travels as a boolean whatever form the source gave it, other attributes as their text', () => {
    expect(
      changeOperations([
        { path: 'active', from: false, to: 'true' },
        { path: 'active', from: 'true', to: 'false' },
        { path: 'active', from: false, to: true },
        { path: 'active', from: true, to: false },
        { path: 'title', from: 'Lead', to: 'true' },
      ]),
    ).toEqual([
      { op: 'replace', path: 'active', value: true },
      { op: 'replace', path: 'active', value: false },
      { op: 'replace', path: 'active', value: true },
      { op: 'replace', path: 'active', value: false },
      { op: 'replace', path: 'title', value: 'true' },
    ]);
  });

  test('a cleared element sub-attribute is removed by its value path, even when its old value is unknown', () => {
    expect(changeOperations([{ path: WORK_EMAIL }])).toEqual([{ op: 'remove', path: WORK_EMAIL }]);
    expect(changeOperations([{ path: WORK_EMAIL }], { [WORK_STREET]: '1 Main St' })).toEqual([
      { op: 'remove', path: WORK_EMAIL },
    ]);
  });
});

describe('PATCH operations for an element the platform lacks', () => {
  test('a path that names no single element by its text is sent as the path it is', () => {
    const paths = [
      'emails[type eq "work"]',
      'emails.value',
      'emails[type eq "work" or type eq "home"].value',
      'emails[type ne "work"].value',
      'emails[primary eq true].value',
      'emails[name.x eq "w"].value',
      `emails[${ACME_USER}:type eq "work"].value`,
      'emails[type eq',
    ];
    for (const path of paths) {
      expect(changeOperations([{ path, to: 'a@x.com' }])).toEqual([{ op: 'add', path, value: 'a@x.com' }]);
      expect(wholeAttributeOperations([{ path, to: 'a@x.com' }], { emails: [] })).toEqual([
        { op: 'add', path, value: 'a@x.com' },
      ]);
    }
  });

  test('a value in the desired state but new in this change is still added as a whole element', () => {
    // `known` is the desired state: it already holds the value the change brings.
    expect(
      changeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }], {
        userName: 'a@x.com',
        [WORK_EMAIL]: 'a@x.com',
      }),
    ).toEqual([{ op: 'add', path: 'emails', value: [{ type: 'work', value: 'a@x.com', primary: true }] }]);
  });

  test('a work element is added beside a home element another change of the same PATCH replaces', () => {
    expect(
      changeOperations([
        { path: 'emails[type eq "home"].value', from: 'old@home', to: 'a@home' },
        { path: WORK_EMAIL, to: 'a@x.com' },
      ]),
    ).toEqual([
      { op: 'replace', path: 'emails[type eq "home"].value', value: 'a@home' },
      { op: 'add', path: 'emails', value: [{ type: 'work', value: 'a@x.com' }] },
    ]);
  });

  test('the platform holding another attribute’s element does not make this element’s attribute present', () => {
    expect(changeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }], { [WORK_STREET]: '1 Main St' })).toEqual([
      { op: 'add', path: 'emails', value: [{ type: 'work', value: 'a@x.com', primary: true }] },
    ]);
  });

  test('the element is matched however its path is spelled', () => {
    expect(
      changeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }], { 'Emails[Type eq "WORK"].display': 'A' }),
    ).toEqual([{ op: 'add', path: WORK_EMAIL, value: 'a@x.com' }]);
    expect(
      changeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }], { 'EMAILS[type eq "home"].value': 'a@home' }),
    ).toEqual([{ op: 'add', path: 'emails', value: [{ type: 'work', value: 'a@x.com' }] }]);
  });

  test('two absent elements of one attribute are each added whole, the first one primary', () => {
    expect(
      changeOperations([
        { path: WORK_EMAIL, to: 'a@x.com' },
        { path: 'emails[type eq "home"].value', to: 'a@home' },
      ]),
    ).toEqual([
      { op: 'add', path: 'emails', value: [{ type: 'work', value: 'a@x.com', primary: true }] },
      { op: 'add', path: 'emails', value: [{ type: 'home', value: 'a@home', primary: true }] },
    ]);
  });

  test('an element of an extension’s multi-valued attribute is added under the extension’s attribute path', () => {
    expect(changeOperations([{ path: DOOR_BADGE, to: '1234' }])).toEqual([
      { op: 'add', path: `${ACME_USER}:badges`, value: [{ kind: 'door', code: '1234', primary: true }] },
    ]);
  });
});

describe('the whole-list form, for servers that refuse value paths', () => {
  test('only operations naming a value path need it', () => {
    expect(hasValuePathOperation([])).toBe(false);
    expect(hasValuePathOperation([{ op: 'replace', path: 'title', value: 'Lead' }])).toBe(false);
    expect(
      hasValuePathOperation([
        { op: 'replace', path: 'title', value: 'Lead' },
        { op: 'replace', path: WORK_EMAIL, value: 'a@x.com' },
      ]),
    ).toBe(true);
    expect(hasValuePathOperation(changeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }]))).toBe(false);
  });

  test('a new element joins the list the platform holds, primary only when the list was empty', () => {
    expect(
      wholeAttributeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }], {
        emails: [{ type: 'home', value: 'a@home', primary: true }],
      }),
    ).toEqual([
      {
        op: 'replace',
        path: 'emails',
        value: [
          { type: 'home', value: 'a@home', primary: true },
          { type: 'work', value: 'a@x.com' },
        ],
      },
    ]);
    expect(wholeAttributeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }], { userName: 'a@x.com' })).toEqual([
      { op: 'replace', path: 'emails', value: [{ type: 'work', value: 'a@x.com', primary: true }] },
    ]);
  });

  test('several changes to one attribute make one replace of it, in the place of the first', () => {
    expect(
      wholeAttributeOperations(
        [
          { path: WORK_STREET, to: '1 Main St' },
          { path: 'title', from: 'Dev', to: 'Lead' },
          { path: WORK_LOCALITY, to: 'Springfield' },
        ],
        { addresses: [] },
      ),
    ).toEqual([
      {
        op: 'replace',
        path: 'addresses',
        value: [{ type: 'work', streetAddress: '1 Main St', locality: 'Springfield', primary: true }],
      },
      { op: 'replace', path: 'title', value: 'Lead' },
    ]);
  });

  test('a cleared sub-attribute leaves the element, whatever case the platform spells it in', () => {
    expect(
      wholeAttributeOperations([{ path: WORK_EMAIL, from: 'a@x.com' }], {
        Emails: [{ type: 'work', Value: 'a@x.com', Display: 'A' }],
      }),
    ).toEqual([{ op: 'replace', path: 'emails', value: [{ type: 'work', Display: 'A' }] }]);
  });

  test('a changed sub-attribute keeps the platform’s spelling of its name, so it is not sent twice', () => {
    expect(
      wholeAttributeOperations([{ path: WORK_EMAIL, from: 'old@x.com', to: 'a@x.com' }], {
        emails: [{ type: 'work', Value: 'old@x.com' }],
      }),
    ).toEqual([{ op: 'replace', path: 'emails', value: [{ type: 'work', Value: 'a@x.com' }] }]);
  });

  test('clearing a sub-attribute of an element the platform lacks adds nothing', () => {
    expect(
      wholeAttributeOperations([{ path: WORK_EMAIL, from: 'a@x.com' }], {
        emails: [{ type: 'home', value: 'a@home' }],
      }),
    ).toEqual([{ op: 'replace', path: 'emails', value: [{ type: 'home', value: 'a@home' }] }]);
  });

  test('elements without the selector, or that are not objects, do not stand for the changed element', () => {
    expect(
      wholeAttributeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }], {
        emails: ['a@x.com', { value: 'b@x.com' }, { type: 7, value: 'c@x.com' }],
      }),
    ).toEqual([
      {
        op: 'replace',
        path: 'emails',
        value: [{ value: 'b@x.com' }, { type: 7, value: 'c@x.com' }, { type: 'work', value: 'a@x.com' }],
      },
    ]);
    expect(wholeAttributeOperations([{ path: WORK_EMAIL, to: 'a@x.com' }], { emails: 'a@x.com' })).toEqual([
      { op: 'replace', path: 'emails', value: [{ type: 'work', value: 'a@x.com', primary: true }] },
    ]);
  });

  test('an extension’s list is read from inside the extension, whatever case its schema is spelled in', () => {
    const resource = {
      badges: [{ kind: 'door', code: 'core-attribute' }],
      [ACME_USER.toLowerCase()]: {
        Badges: [
          { kind: 'door', code: '1111' },
          { kind: 'desk', code: '9' },
        ],
      },
    };
    expect(wholeAttributeOperations([{ path: DOOR_BADGE, from: '1111', to: '1234' }], resource)).toEqual([
      {
        op: 'replace',
        path: `${ACME_USER}:badges`,
        value: [
          { kind: 'door', code: '1234' },
          { kind: 'desk', code: '9' },
        ],
      },
    ]);
  });

  test('an extension the platform does not hold yet gets a new list', () => {
    expect(
      wholeAttributeOperations([{ path: DOOR_BADGE, to: '1234' }], {
        badges: [{ kind: 'door', code: 'core-attribute' }],
      }),
    ).toEqual([
      { op: 'replace', path: `${ACME_USER}:badges`, value: [{ kind: 'door', code: '1234', primary: true }] },
    ]);
    expect(
      wholeAttributeOperations([{ path: DOOR_BADGE, to: '1234' }], { [ACME_USER]: 'malformed' }),
    ).toEqual([
      { op: 'replace', path: `${ACME_USER}:badges`, value: [{ kind: 'door', code: '1234', primary: true }] },
    ]);
  });
});

describe('group membership operations', () => {
  test('members join in one add operation, in the order given', () => {
    expect(addMembersOperation(['u-2', 'u-1'])).toEqual({
      op: 'add',
      path: 'members',
      value: [{ value: 'u-2' }, { value: 'u-1' }],
    });
  });

  test('members leave by one remove per member, each id quoted as a filter value', () => {
    expect(removeMembersOperations(['u-1', 'a" or "1" eq "1', 'back\\slash'])).toEqual([
      { op: 'remove', path: 'members[value eq "u-1"]' },
      { op: 'remove', path: 'members[value eq "a\\" or \\"1\\" eq \\"1"]' },
      { op: 'remove', path: 'members[value eq "back\\\\slash"]' },
    ]);
    expect(removeMembersOperations([])).toEqual([]);
  });

  test('the request body carries the PatchOp schema and the operations as given', () => {
    const operations = [addMembersOperation(['u-1']), ...removeMembersOperations(['u-2'])];
    expect(patchRequest(operations)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: 'u-1' }] },
        { op: 'remove', path: 'members[value eq "u-2"]' },
      ],
    });
  });
});
