import { describe, expect, it } from 'vitest';
import { userChanges } from '../../src/engine/diff.js';
import type { PlatformUser, ScimUserState } from '../../src/model/scim.js';

const desired = (attributes: Record<string, string>): ScimUserState => ({
  externalId: 'u1',
  active: true,
  attributes,
});
const actual = (attributes: Record<string, string>): PlatformUser => ({
  id: 'p1',
  externalId: 'u1',
  active: true,
  attributes,
});

describe('userChanges', () => {
  it('changes only the mapped paths whose values differ, removing what the source left empty', () => {
    const changes = userChanges(
      desired({ userName: 'ann@x.io', title: 'Engineer', department: 'Sales' }),
      actual({ userName: 'ann@x.io', title: 'Manager', nickName: 'Annie', 'x:unmapped': 'kept' }),
      ['userName', 'title', 'department', 'nickName'],
    );
    expect(changes).toEqual([
      { path: 'title', from: 'Manager', to: 'Engineer' },
      { path: 'department', to: 'Sales' },
      { path: 'nickName', from: 'Annie' },
    ]);
  });

  it('reads paths named like Object.prototype members as attributes, never as inherited values', () => {
    const paths = ['constructor', 'toString'];
    expect(userChanges(desired({}), actual({}), paths)).toEqual([]);
    expect(userChanges(desired({ constructor: 'a' }), actual({ constructor: 'a' }), paths)).toEqual([]);
    expect(userChanges(desired({ toString: 'b' }), actual({}), paths)).toEqual([
      { path: 'toString', to: 'b' },
    ]);
    expect(userChanges(desired({}), actual({ constructor: 'c' }), paths)).toEqual([
      { path: 'constructor', from: 'c' },
    ]);
  });
});
