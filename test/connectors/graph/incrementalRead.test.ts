import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { applyChanges } from '../../../src/engine/index.js';
import { CursorExpiredError, type Source } from '../../../src/model/source.js';
import { generateGraphDirectory } from '../../emulators/graph/generator.js';
import { recordingCounter, servedPaths, startTestEmulator, testSource } from './support.js';

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

/**
 * Takes a cursor with its records, applies `change` in the source directory, and reads the changes
 * since the cursor.
 */
async function changesAfter(change: () => void, from: Source = source) {
  const { cursor, snapshot } = await from.readFull();
  change();
  emulator.server.resetCalls();
  const read = await from.readChanges?.(cursor ?? '', snapshot);
  if (!read) throw new Error('the Graph source has no readChanges');
  return read.changes;
}

/** The user as a full read gives it now. */
async function wholeUser(id: string) {
  const { snapshot } = await source.readFull();
  return snapshot.users.find((user) => user.id === id);
}

function onlyDeltaPagesWereRead(): void {
  const paths = servedPaths(emulator);
  expect(new Set(paths)).toEqual(DELTA_PATHS);
}

const userIds = generated.users.map((user) => user.id);
const noRecords = { users: [], groups: [] };
const changesOfNothing = {
  upsertedUsers: [],
  removedUsers: [],
  upsertedGroups: [],
  removedGroupIds: [],
  membershipsAdded: [],
  membershipsRemoved: [],
};
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

  it('reads created users whole by id, 20 to a $batch request, after following next links over empty and full pages', async () => {
    const created: string[] = [];
    const changes = await changesAfter(() => {
      for (let index = 0; index < 22; index++) {
        created.push(
          directory.addUser({
            userPrincipalName: `new${index}@contoso.example`,
            displayName: `New ${index}`,
            jobTitle: 'Hire',
          }).id,
        );
      }
    });
    expect(changes.upsertedUsers.map((user) => user.id).sort()).toEqual(created.sort());
    const paths = servedPaths(emulator);
    expect(changes.upsertedUsers[0]).toEqual(await wholeUser(changes.upsertedUsers[0]?.id ?? ''));
    expect(paths.filter((path) => path === '/v1.0/users/delta')).toHaveLength(6);
    expect(paths.filter((path) => path === '/v1.0/$batch')).toHaveLength(2);
  });

  it('waits out a 429 inside a $batch and reads the throttled users again', async () => {
    const counter = recordingCounter();
    const counted = testSource(emulator, {}, counter);
    const created: string[] = [];
    const changes = await changesAfter(() => {
      for (let index = 0; index < 3; index++)
        created.push(directory.addUser({ userPrincipalName: `throttled${index}@contoso.example` }).id);
      emulator.throttleBatchItems(2);
    }, counted);
    expect(changes.upsertedUsers.map((user) => user.id).sort()).toEqual(created.sort());
    expect(counter.throttles).toBe(1);
    expect(servedPaths(emulator).filter((path) => path === '/v1.0/$batch')).toHaveLength(2);
  });

  it('returns an updated user whole: the changed properties on its record, every other one kept', async () => {
    const id = userIds[1] ?? '';
    const before = await wholeUser(id);
    const changes = await changesAfter(() =>
      directory.updateUser(id, { jobTitle: 'Lead', department: 'R&D' }),
    );
    expect(changes.upsertedUsers).toEqual([
      { ...before, attributes: { ...before?.attributes, jobTitle: 'Lead', department: 'R&D' } },
    ]);
    onlyDeltaPagesWereRead();
  });

  it('returns a user with a cleared attribute without it, every other one kept', async () => {
    const id = userIds[7] ?? '';
    directory.updateUser(id, { jobTitle: 'Clerk', department: 'Ops' });
    const before = await wholeUser(id);
    const changes = await changesAfter(() => directory.updateUser(id, { jobTitle: null }));
    const { jobTitle: _jobTitle, ...kept } = before?.attributes ?? {};
    expect(changes.upsertedUsers).toEqual([{ ...before, attributes: kept }]);
    expect(kept).toHaveProperty('department', 'Ops');
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

  it('reads a group created since the cursor whole by id, with every member, in all scope', async () => {
    const memberIds = userIds.slice(10, 14);
    let created = '';
    const changes = await changesAfter(() => {
      created = directory.addGroup({ displayName: 'Created later' }).id;
      for (const id of memberIds) directory.addMember(created, id);
    });
    expect(changes.upsertedGroups).toEqual([
      { id: created, displayName: 'Created later', attributes: { displayName: 'Created later' } },
    ]);
    expect(
      changes.membershipsAdded
        .filter((m) => m.groupId === created)
        .map((m) => m.memberId)
        .sort(),
    ).toEqual([...memberIds].sort());
    expect(servedPaths(emulator)).toContain('/v1.0/$batch');
  });

  it('reads a group whole when it is assigned, and leaves out a group outside the scope, in assigned scope', async () => {
    const assigned = testSource(emulator, {
      scope: { mode: 'assigned', servicePrincipalId: SERVICE_PRINCIPAL_ID },
    });
    let inScope = '';
    let outside = '';
    const changes = await changesAfter(() => {
      inScope = directory.addGroup({ displayName: 'Assigned later' }).id;
      outside = directory.addGroup({ displayName: 'Never assigned' }).id;
      for (const id of userIds.slice(20, 23)) {
        directory.addMember(inScope, id);
        directory.addMember(outside, id);
      }
      directory.assign(inScope);
    }, assigned);
    expect(changes.upsertedGroups.map((group) => group.id)).toEqual([inScope]);
    expect(changes.membershipsAdded.map((m) => m.groupId)).not.toContain(outside);
    expect(changes.membershipsAdded.filter((m) => m.groupId === inScope)).toHaveLength(3);
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
    const { cursor, snapshot } = await source.readFull();
    directory.updateUser(userIds[5] ?? '', { jobTitle: 'Architect' });
    const first = await source.readChanges?.(cursor ?? '', snapshot);
    const records = applyChanges(snapshot, first?.changes ?? changesOfNothing);
    const second = await source.readChanges?.(first?.cursor ?? '', records);
    expect(first?.changes.upsertedUsers.map((user) => user.id)).toEqual([userIds[5]]);
    expect(second?.changes.upsertedUsers).toEqual([]);
  });

  it.each(['syncStateNotFound', 'gone'] as const)(
    'throws CursorExpiredError for an expired delta token (%s)',
    async (how) => {
      const { cursor, snapshot } = await source.readFull();
      directory.expireDeltaTokens(how);
      await expect(source.readChanges?.(cursor ?? '', snapshot)).rejects.toBeInstanceOf(CursorExpiredError);
    },
  );

  it('throws CursorExpiredError, saying why, for a cursor of a version that kept no merged records', async () => {
    const { cursor } = await source.readFull();
    const { users, groups } = JSON.parse(cursor ?? '{}') as { users: string; groups: string };
    const older = JSON.stringify({ v: 1, users, groups });
    await expect(source.readChanges?.(older, noRecords)).rejects.toThrow(/earlier dirsync.*full read/);
  });

  it('throws CursorExpiredError when the mapping reads a user property the delta links do not track', async () => {
    const { cursor, snapshot } = await source.readFull();
    const wider = testSource(emulator, {
      filters: [{ attribute: 'officeLocation', op: 'eq', value: 'Paris' }],
    });
    await expect(wider.readChanges?.(cursor ?? '', snapshot)).rejects.toThrow(/officeLocation/);
  });
});
