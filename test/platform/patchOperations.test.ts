import { describe, expect, test } from 'vitest';
import { changeOperations, wholeAttributeOperations } from '../../src/platform/patchOperations.js';

const WORK_EMAIL = 'emails[type eq "work"].value';
const WORK_STREET = 'addresses[type eq "work"].streetAddress';
const WORK_LOCALITY = 'addresses[type eq "work"].locality';

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
});
