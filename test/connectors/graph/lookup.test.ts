import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { servedPaths, startTestEmulator, testSource } from './support.js';

const SERVICE_PRINCIPAL_ID = 'cccccccc-dddd-4eee-8fff-000000000000';
const ids = {
  oneil: '10000000-0000-4000-8000-000000000001',
  bob: '10000000-0000-4000-8000-000000000002',
  carol: '10000000-0000-4000-8000-000000000003',
  dave: '10000000-0000-4000-8000-000000000004',
  sales: '20000000-0000-4000-8000-000000000001',
  salesEmea: '20000000-0000-4000-8000-000000000002',
  research: '20000000-0000-4000-8000-000000000003',
};
const emulator = await startTestEmulator({
  servicePrincipalId: SERVICE_PRINCIPAL_ID,
  directory: {
    users: [
      {
        id: ids.oneil,
        userPrincipalName: "o'neil@contoso.example",
        mail: 'shannon@contoso.example',
        displayName: "Shannon O'Neil",
      },
      { id: ids.bob, userPrincipalName: 'bob@contoso.example', displayName: 'Bob' },
      {
        id: ids.carol,
        userPrincipalName: 'carol@contoso.example',
        displayName: 'Carol',
        accountEnabled: false,
      },
      { id: ids.dave, userPrincipalName: 'dave@contoso.example', displayName: 'Dave' },
    ],
    groups: [
      { id: ids.sales, displayName: 'Sales', memberIds: [ids.bob, ids.salesEmea] },
      { id: ids.salesEmea, displayName: 'Sales EMEA', memberIds: [ids.carol, ids.oneil] },
      { id: ids.research, displayName: "R&D's lab", memberIds: [ids.oneil, ids.dave] },
    ],
    assignedPrincipalIds: [ids.sales, ids.dave],
  },
});
afterAll(() => emulator.close());
beforeEach(() => emulator.server.resetCalls());

describe('Graph lookup', () => {
  it("finds a user by a UPN with a ' in it, with the groups the user is in (transitively)", async () => {
    const { snapshot, resolved } = await testSource(emulator).lookup({
      users: ["O'Neil@contoso.example"],
      groups: [],
    });

    expect(resolved).toEqual({ "O'Neil@contoso.example": ids.oneil });
    expect(snapshot.users.map((user) => user.attributes.userPrincipalName)).toEqual([
      "o'neil@contoso.example",
    ]);
    const memberships = Object.fromEntries(
      snapshot.groups.map((group) => [group.displayName, group.memberIds]),
    );
    expect(memberships).toEqual({
      Sales: [ids.oneil],
      'Sales EMEA': [ids.oneil],
      "R&D's lab": [ids.oneil],
    });
    expect(servedPaths(emulator)).not.toContain('/v1.0/groups');
  });

  it('finds a group by name with its members, nested groups expanded', async () => {
    const { snapshot, resolved } = await testSource(emulator).lookup({
      users: [],
      groups: ['Sales', "R&D's lab"],
    });

    expect(resolved).toEqual({ Sales: ids.sales, "R&D's lab": ids.research });
    const groups = Object.fromEntries(
      snapshot.groups.map((group) => [group.id, [...group.memberIds].sort()]),
    );
    expect(groups).toEqual({
      [ids.sales]: [ids.bob, ids.salesEmea].sort(),
      [ids.salesEmea]: [ids.carol, ids.oneil].sort(),
      [ids.research]: [ids.oneil, ids.dave].sort(),
    });
    expect(snapshot.users.map((user) => user.id).sort()).toEqual(
      [ids.oneil, ids.bob, ids.carol, ids.dave].sort(),
    );
    expect(snapshot.users.find((user) => user.id === ids.carol)?.active).toBe(false);
  });

  it('includes the assignments among the subjects for assigned scope', async () => {
    const source = testSource(emulator, {
      scope: { mode: 'assigned', servicePrincipalId: SERVICE_PRINCIPAL_ID },
    });
    const { snapshot } = await source.lookup({
      users: ['carol@contoso.example', 'dave@contoso.example'],
      groups: [],
    });

    expect(snapshot.assignments).toEqual({ userIds: [ids.dave], groupIds: [ids.sales] });
  });
});
