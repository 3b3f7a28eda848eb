import { describe, expect, it } from 'vitest';
import { mapGroup, mappedPaths, mapUser } from '../../src/engine/mapping.js';
import { DEPARTMENT, EMAIL, FILE_MAPPING, sourceGroup } from './fixtures.js';

describe('mapUser', () => {
  it('maps source attributes to SCIM paths; externalId and active come from the source object', () => {
    const user = {
      id: 'u1',
      active: false,
      attributes: { userName: 'ann@x.io', email: 'Ann@X.io', department: 'Sales', active: true, id: 'other' },
    };
    expect(mapUser(user, FILE_MAPPING)).toEqual({
      externalId: 'u1',
      active: false,
      attributes: { userName: 'ann@x.io', [EMAIL]: 'Ann@X.io', [DEPARTMENT]: 'Sales' },
    });
  });

  it('stringifies numbers and booleans and leaves empty or absent values out', () => {
    const mapping = { 'x:level': 'level', 'x:remote': 'remote', title: 'title', displayName: 'displayName' };
    const user = { id: 'u1', active: true, attributes: { level: 3, remote: false, title: '' } };
    expect(mapUser(user, mapping).attributes).toEqual({ 'x:level': '3', 'x:remote': 'false' });
  });

  it('lists the compared paths without the identity paths', () => {
    expect(mappedPaths(FILE_MAPPING)).not.toContain('externalId');
    expect(mappedPaths(FILE_MAPPING)).not.toContain('active');
    expect(mappedPaths(FILE_MAPPING)).toContain(DEPARTMENT);
  });
});

describe('mapGroup', () => {
  it('keeps the source id and name, with the given members', () => {
    expect(mapGroup(sourceGroup('g1', 'Sales', ['u9']), ['u1'])).toEqual({
      externalId: 'g1',
      displayName: 'Sales',
      memberExternalIds: ['u1'],
    });
  });
});
