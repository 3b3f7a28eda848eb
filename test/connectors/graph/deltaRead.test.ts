import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { generateGraphDirectory } from '../../../connectors/graph/emulator/generator.js';
import { CursorExpiredError, type Source } from '../../../src/model/source.js';
import { servedPaths, startTestEmulator, testSource } from './support.js';

const SERVICE_PRINCIPAL_ID = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';
const generated = generateGraphDirectory({ users: 40, groups: 8, nestedDepth: 1, seed: 3 });
const emulator = await startTestEmulator({
  directory: generated,
  servicePrincipalId: SERVICE_PRINCIPAL_ID,
  deltaPageSize: 5,
  emptyFirstDeltaPage: true,
});
afterAll(() => emulator.close());
const { directory } = emulator;
const DELTA_PATHS = new Set(['/v1.0/users/delta', '/v1.0/groups/delta']);

let source: Source;
beforeEach(() => {
  source = testSource(emulator);
});

/** Takes a cursor, applies `change` in the source directory, and reads the changes since the cursor. */
async function changesAfter(change: () => void, from: Source = source) {
  const { cursor } = await from.readFull();
  change();
  emulator.server.resetCalls();
  const read = await from.readChanges?.(cursor ?? '');
  if (!read) throw new Error('the Graph source has no readChanges');
  return read.changes;
}

function onlyDeltaPagesWereRead(): void {
  const paths = servedPaths(emulator);
  expect(new Set(paths)).toEqual(DELTA_PATHS);
}

const userIds = generated.users.map((user) => user.id);
const [firstGroup, secondGroup] = generated.groups;
if (!firstGroup || !secondGroup) throw new Error('the generated directory has too few groups');

describe('Graph incremental read', () => {
  it('returns nothing, from delta pages only, when nothing changed', async () => {
    const changes = await changesAfter(() => {});
    expect(changes).toEqual({
      upsertedUsers: [],
      removedUsers: [],
      upsertedGroups: [],
      removedGroupIds: [],
      membershipsAdded: [],
      membershipsRemoved: [],
    });
    onlyDeltaPagesWereRead();
  });

  it('returns a created user, following next links over empty and full pages', async () => {
    const created: string[] = [];
    const changes = await changesAfter(() => {
      for (let index = 0; index < 12; index++) {
        created.push(
          directory.addUser({ userPrincipalName: `new${index}@contoso.example`, displayName: `New ${index}` })
            .id,
        );
      }
    });
    expect(changes.upsertedUsers.map((user) => user.id).sort()).toEqual(created.sort());
    expect(changes.upsertedUsers[0]).toMatchObject({ active: true, attributes: { accountEnabled: true } });
    expect(servedPaths(emulator).filter((path) => path === '/v1.0/users/delta')).toHaveLength(4);
    onlyDeltaPagesWereRead();
  });

  it('returns an updated user with its new attributes', async () => {
    const id = userIds[1] ?? '';
    const changes = await changesAfter(() =>
      directory.updateUser(id, { jobTitle: 'Lead', department: 'R&D' }),
    );
    expect(changes.upsertedUsers).toHaveLength(1);
    expect(changes.upsertedUsers[0]?.attributes).toMatchObject({ jobTitle: 'Lead', department: 'R&D' });
    onlyDeltaPagesWereRead();
  });

  it('returns a disabled user as inactive', async () => {
    const id = userIds[2] ?? '';
    const changes = await changesAfter(() => directory.updateUser(id, { accountEnabled: false }));
    expect(changes.upsertedUsers.map((user) => [user.id, user.active])).toEqual([[id, false]]);
    onlyDeltaPagesWereRead();
  });

  it('returns a soft-deleted user as softDeleted and a hard-deleted one as deleted', async () => {
    const soft = userIds[3] ?? '';
    const hard = userIds[4] ?? '';
    const changes = await changesAfter(() => {
      directory.softDeleteUser(soft);
      directory.hardDeleteUser(hard);
    });
    expect(changes.removedUsers).toEqual(
      expect.arrayContaining([
        { id: soft, kind: 'softDeleted' },
        { id: hard, kind: 'deleted' },
      ]),
    );
    expect(changes.removedUsers).toHaveLength(2);
    expect(changes.upsertedUsers).toEqual([]);
    onlyDeltaPagesWereRead();
  });

  it('returns a restored user as upserted again', async () => {
    const id = userIds[6] ?? '';
    directory.softDeleteUser(id);
    const changes = await changesAfter(() => directory.restoreUser(id));
    expect(changes.upsertedUsers.map((user) => user.id)).toEqual([id]);
    expect(changes.removedUsers).toEqual([]);
  });

  it('returns members added and removed, without taking the group as renamed', async () => {
    const joining = directory.addUser({ userPrincipalName: 'joiner@contoso.example' }).id;
    const nested = directory.addGroup({ displayName: 'Nested' }).id;
    const leaving =
      [...(directory.group(firstGroup.id)?.members ?? [])].find((id) => directory.liveKind(id) === 'user') ??
      '';
    const changes = await changesAfter(() => {
      directory.addMember(firstGroup.id, joining);
      directory.removeMember(firstGroup.id, leaving);
      directory.addMember(firstGroup.id, nested);
    });
    expect(changes.membershipsAdded).toEqual(
      expect.arrayContaining([
        { groupId: firstGroup.id, memberId: joining },
        { groupId: firstGroup.id, memberId: nested },
      ]),
    );
    expect(changes.membershipsAdded).toHaveLength(2);
    expect(changes.membershipsRemoved).toEqual([{ groupId: firstGroup.id, memberId: leaving }]);
    expect(changes.upsertedGroups).toEqual([]);
    onlyDeltaPagesWereRead();
  });

  it('returns a renamed group and a deleted one', async () => {
    const created = directory.addGroup({ displayName: 'Short-lived' });
    const changes = await changesAfter(() => {
      directory.renameGroup(secondGroup.id, "Sales d'Europe");
      directory.deleteGroup(created.id);
    });
    expect(changes.upsertedGroups).toEqual([
      { id: secondGroup.id, displayName: "Sales d'Europe", attributes: { displayName: "Sales d'Europe" } },
    ]);
    expect(changes.removedGroupIds).toEqual([created.id]);
    onlyDeltaPagesWereRead();
  });

  it('returns the assignment list as it is now for assigned scope', async () => {
    const assigned = testSource(emulator, {
      scope: { mode: 'assigned', servicePrincipalId: SERVICE_PRINCIPAL_ID },
    });
    const unassigned = directory.assignments()[0]?.principalId ?? '';
    const changes = await changesAfter(() => directory.unassign(unassigned), assigned);
    const replaced = changes.assignmentsReplaced;
    expect([...(replaced?.userIds ?? []), ...(replaced?.groupIds ?? [])].sort()).toEqual(
      directory
        .assignments()
        .map((assignment) => assignment.principalId)
        .sort(),
    );
    expect([...(replaced?.userIds ?? []), ...(replaced?.groupIds ?? [])]).not.toContain(unassigned);
    expect(new Set(servedPaths(emulator))).toEqual(
      new Set([...DELTA_PATHS, `/v1.0/servicePrincipals/${SERVICE_PRINCIPAL_ID}/appRoleAssignedTo`]),
    );
  });

  it('continues from the cursor it returns', async () => {
    const { cursor } = await source.readFull();
    directory.updateUser(userIds[5] ?? '', { jobTitle: 'Architect' });
    const first = await source.readChanges?.(cursor ?? '');
    const second = await source.readChanges?.(first?.cursor ?? '');
    expect(first?.changes.upsertedUsers.map((user) => user.id)).toEqual([userIds[5]]);
    expect(second?.changes.upsertedUsers).toEqual([]);
  });

  it.each(['syncStateNotFound', 'gone'] as const)(
    'throws CursorExpiredError for an expired delta token (%s)',
    async (how) => {
      const { cursor } = await source.readFull();
      directory.expireDeltaTokens(how);
      await expect(source.readChanges?.(cursor ?? '')).rejects.toBeInstanceOf(CursorExpiredError);
    },
  );

  it('throws CursorExpiredError for a cursor it cannot read', async () => {
    await expect(source.readChanges?.('not a cursor')).rejects.toBeInstanceOf(CursorExpiredError);
  });
});
