import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../src/platform/emulator/patch.js';
import {
  addMembersOperation,
  changeOperations,
  patchRequest,
  removeMembersOperations,
} from '../../src/platform/patchOperations.js';

const WORK_EMAIL = 'emails[type eq "work"].value';

describe('PATCH building', () => {
  it('adds an attribute the account lacks, replaces one it has, and removes one the source cleared', () => {
    const operations = changeOperations([
      { path: WORK_EMAIL, to: 'ann@contoso.com' },
      { path: 'title', from: 'Intern', to: 'Engineer' },
      { path: 'nickName', from: 'Annie' },
    ]);
    expect(operations).toEqual([
      { op: 'add', path: WORK_EMAIL, value: 'ann@contoso.com' },
      { op: 'replace', path: 'title', value: 'Engineer' },
      { op: 'remove', path: 'nickName' },
    ]);
    const account = { schemas: [], userName: 'ann@contoso.com', title: 'Intern', nickName: 'Annie' };
    expect(applyPatch(account, patchRequest(operations))).toEqual({
      schemas: [],
      userName: 'ann@contoso.com',
      title: 'Engineer',
      emails: [{ type: 'work', value: 'ann@contoso.com' }],
    });
  });

  it('sends active as a boolean, however the change carries it', () => {
    const activeValues = changeOperations([
      { path: 'active', from: true, to: false },
      { path: 'active', from: false, to: true },
      { path: 'active', from: 'true', to: 'false' },
      { path: 'active', from: 'false', to: 'true' },
    ]).map((operation) => operation.value);
    expect(activeValues).toEqual([false, true, false, true]);
  });

  it('adds members in one operation and removes each by its own quoted filter', () => {
    const group = { displayName: 'Sales', members: [{ value: 'p1' }, { value: 'p"2' }, { value: 'p3' }] };
    const added = applyPatch(group, patchRequest([addMembersOperation(['p4', 'p5'])]));
    expect(added.members).toEqual([
      { value: 'p1' },
      { value: 'p"2' },
      { value: 'p3' },
      { value: 'p4' },
      { value: 'p5' },
    ]);
    const operations = removeMembersOperations(['p"2', 'p3']);
    expect(operations).toEqual([
      { op: 'remove', path: 'members[value eq "p\\"2"]' },
      { op: 'remove', path: 'members[value eq "p3"]' },
    ]);
    expect(applyPatch(added, patchRequest(operations)).members).toEqual([
      { value: 'p1' },
      { value: 'p4' },
      { value: 'p5' },
    ]);
  });

  it('wraps the operations in a PatchOp message', () => {
    const operation = addMembersOperation(['p1']);
    expect(patchRequest([operation])).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: 'p1' }] }],
    });
  });
});
