import { beforeEach, describe, expect, test } from 'vitest';
import { ENTERPRISE_USER_URN } from '../../src/model/scim.js';
import { PATCH_OP_URN } from '../../src/platform/scimSchemas.js';
import { ScimError } from '../emulators/scim/scimError.js';
import { ScimStore } from '../emulators/scim/store.js';

const patch = (...Operations: object[]) => ({ schemas: [PATCH_OP_URN], Operations });

function refusal(action: () => unknown): ScimError {
  try {
    action();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('ScimStore PATCH as real clients send it', () => {
  let store: ScimStore;
  let userId: string;
  beforeEach(() => {
    store = new ScimStore();
    userId = store.seedUser({
      userName: 'alice@contoso.com',
      name: { givenName: 'Alice' },
      emails: [{ type: 'work', value: 'alice@contoso.com', primary: true }],
    }).id as string;
  });

  test('Entra style: capitalised op names and active as the string "False"', () => {
    const patched = store.patch('Users', userId, patch({ op: 'Replace', path: 'active', value: 'False' }));
    expect(patched.active).toBe(false);
  });

  test('value-filter paths replace, create and remove values of multi-valued attributes', () => {
    store.patch(
      'Users',
      userId,
      patch(
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'a2@contoso.com' },
        { op: 'add', path: 'emails[type eq "home"].value', value: 'alice@home.example' },
      ),
    );
    expect(store.get('Users', userId).emails).toEqual([
      { type: 'work', value: 'a2@contoso.com', primary: true },
      { type: 'home', value: 'alice@home.example' },
    ]);
    store.patch('Users', userId, patch({ op: 'remove', path: 'emails[type eq "work"]' }));
    expect(store.get('Users', userId).emails).toEqual([{ type: 'home', value: 'alice@home.example' }]);
  });

  test('a path-less replace takes dotted paths and extension objects, and lists the extension schema', () => {
    const patched = store.patch(
      'Users',
      userId,
      patch({
        op: 'replace',
        value: {
          'name.familyName': 'Liddell',
          title: 'Lead',
          [ENTERPRISE_USER_URN]: { department: 'Sales' },
        },
      }),
    );
    expect(patched).toMatchObject({
      name: { givenName: 'Alice', familyName: 'Liddell' },
      title: 'Lead',
      [ENTERPRISE_USER_URN]: { department: 'Sales' },
    });
    expect(patched.schemas).toContain(ENTERPRISE_USER_URN);
    store.patch('Users', userId, patch({ op: 'remove', path: `${ENTERPRISE_USER_URN}:department` }));
    expect(store.get('Users', userId)[ENTERPRISE_USER_URN]).toEqual({});
  });

  test.each([
    [patch({ op: 'move', path: 'title', value: 'x' }), 400, 'invalidSyntax'],
    [patch({ op: 'remove' }), 400, 'noTarget'],
    [patch({ op: 'replace', path: 'id', value: 'mine' }), 400, 'mutability'],
    [patch({ op: 'replace', path: 'title[', value: 'x' }), 400, 'invalidPath'],
    [patch({ op: 'replace', path: 'active', value: 'maybe' }), 400, 'invalidValue'],
    [{ Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 400, 'invalidSyntax'],
  ])('refuses %j', (message, status, scimType) => {
    expect(refusal(() => store.patch('Users', userId, message))).toMatchObject({ status, scimType });
  });

  test('a PATCH stores a new object and leaves the one read before it untouched', () => {
    const before = store.get('Users', userId);
    const copy = structuredClone(before);
    store.patch(
      'Users',
      userId,
      patch(
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@contoso.com' },
        { op: 'replace', path: 'name.givenName', value: 'Alicia' },
        { op: 'add', path: `${ENTERPRISE_USER_URN}:department`, value: 'Sales' },
      ),
    );
    expect(before).toEqual(copy);
    expect(store.get('Users', userId)).toMatchObject({ name: { givenName: 'Alicia' } });
  });

  test('a rename onto a taken userName is a uniqueness conflict, whatever its case', () => {
    store.seedUser({ userName: 'bob@contoso.com' });
    const conflict = refusal(() =>
      store.patch('Users', userId, patch({ op: 'replace', path: 'userName', value: 'BOB@contoso.com' })),
    );
    expect(conflict).toMatchObject({ status: 409, scimType: 'uniqueness' });
  });
});

describe('ScimStore groups', () => {
  let store: ScimStore;
  let users: string[];
  beforeEach(() => {
    store = new ScimStore();
    users = ['a', 'b', 'c'].map((name) => store.seedUser({ userName: name }).id as string);
  });
  const memberValues = (groupId: string) =>
    (store.get('Groups', groupId).members as { value: string }[]).map((member) => member.value);

  test('adds are idempotent; removes take the RFC filter form and the Entra value-array form', () => {
    const groupId = store.seedGroup({ displayName: 'Sales', members: [{ value: users[0] }] }).id as string;
    store.patch(
      'Groups',
      groupId,
      patch({ op: 'Add', path: 'members', value: users.map((value) => ({ value })) }),
    );
    expect(memberValues(groupId)).toEqual(users);
    store.patch('Groups', groupId, patch({ op: 'remove', path: `members[value eq "${users[0]}"]` }));
    store.patch('Groups', groupId, patch({ op: 'Remove', path: 'members', value: [{ value: users[1] }] }));
    expect(memberValues(groupId)).toEqual([users[2]]);
  });

  test('unknown members are refused; deleting a user takes it out of its groups', () => {
    const groupId = store.seedGroup({ displayName: 'Sales', members: users.map((value) => ({ value })) })
      .id as string;
    expect(
      refusal(() =>
        store.patch('Groups', groupId, patch({ op: 'add', path: 'members', value: [{ value: 'nobody' }] })),
      ),
    ).toMatchObject({ status: 400, scimType: 'invalidValue' });
    store.delete('Users', users[1]!);
    expect(memberValues(groupId)).toEqual([users[0], users[2]]);
  });

  test('display names may repeat; external ids may not', () => {
    store.seedGroup({ displayName: 'Sales', externalId: 'g1' });
    expect(store.seedGroup({ displayName: 'Sales', externalId: 'g2' }).displayName).toBe('Sales');
    expect(refusal(() => store.seedGroup({ displayName: 'Other', externalId: 'g1' }))).toMatchObject({
      status: 409,
      scimType: 'uniqueness',
    });
  });

  test('a deleted group leaves the groups that nested it', () => {
    const inner = store.seedGroup({ displayName: 'Inner' }).id as string;
    const outer = store.seedGroup({ displayName: 'Outer', members: [{ value: inner }, { value: users[0] }] })
      .id as string;
    store.delete('Groups', inner);
    expect(memberValues(outer)).toEqual([users[0]]);
  });
});
