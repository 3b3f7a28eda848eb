import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Source } from '../../../src/model/source.js';
import { CursorExpiredError } from '../../../src/model/source.js';
import { generateOktaOrg, type OktaEmulator } from '../../emulators/okta/index.js';
import { oktaSource, startEmulator } from './support.js';

describe('Okta incremental read', () => {
  const directory = generateOktaOrg({ users: 300, groups: 6, seed: 11 });
  const app = directory.apps[0]!;
  let emulator: OktaEmulator;
  let source: Source;
  let cursor: string;

  beforeAll(async () => {
    emulator = await startEmulator({ directory });
    source = oktaSource(emulator, { scope: { mode: 'app', appId: app.id } }).source;
  });
  afterAll(() => emulator.close());

  beforeEach(async () => {
    // Each change is made after a fresh cursor; what the overlap replays from before is ignored.
    emulator.clock.advance(10 * 60_000);
    cursor = (await source.readFull()).cursor!;
    emulator.clock.advance(10 * 60_000);
  });

  const activeUser = () =>
    directory.users.find((user) => emulator.org.users.get(user.id)?.status === 'ACTIVE')!.id;
  const readChanges = async () => (await source.readChanges!(cursor, { users: [], groups: [] })).changes;

  it('returns a profile edit as the whole user as it is now', async () => {
    const userId = activeUser();
    emulator.org.updateProfile(userId, { title: 'Lead', department: null });
    const changes = await readChanges();
    expect(changes.upsertedUsers).toHaveLength(1);
    expect(changes.upsertedUsers[0]?.attributes['profile.title']).toBe('Lead');
    expect(changes.upsertedUsers[0]?.attributes['profile.department']).toBeUndefined();
    expect(changes.needsFullRun).toBeUndefined();
  });

  it('returns suspend, unsuspend and deactivate as the user turning inactive and active', async () => {
    const userId = activeUser();
    emulator.org.setStatus(userId, 'SUSPENDED');
    expect((await readChanges()).upsertedUsers).toEqual([
      expect.objectContaining({ id: userId, active: false }),
    ]);

    emulator.org.setStatus(userId, 'ACTIVE');
    expect((await readChanges()).upsertedUsers).toEqual([
      expect.objectContaining({ id: userId, active: true }),
    ]);

    emulator.org.setStatus(userId, 'DEPROVISIONED');
    const deactivated = await readChanges();
    expect(deactivated.upsertedUsers).toEqual([
      expect.objectContaining({
        id: userId,
        active: false,
        attributes: expect.objectContaining({ status: 'DEPROVISIONED' }),
      }),
    ]);
  });

  it('returns a deleted user as removed', async () => {
    const userId = activeUser();
    emulator.org.deleteUser(userId);
    const changes = await readChanges();
    expect(changes.removedUsers).toEqual([{ id: userId, kind: 'deleted' }]);
    expect(changes.upsertedUsers).toEqual([]);
  });

  it('returns group membership adds and removes, and new and renamed groups', async () => {
    const group = directory.groups[1]!;
    const outsider = directory.users.find((user) => !group.memberIds.includes(user.id))!.id;
    const member = group.memberIds[0]!;
    emulator.org.addMember(group.id, outsider);
    emulator.org.removeMember(group.id, member);
    const created = emulator.org.addGroup({ name: 'Field "Ops"' });
    emulator.org.renameGroup(group.id, 'Renamed team');

    const changes = await readChanges();
    expect(changes.membershipsAdded).toEqual([{ groupId: group.id, memberId: outsider }]);
    expect(changes.membershipsRemoved).toEqual([{ groupId: group.id, memberId: member }]);
    expect(changes.upsertedGroups.map((upserted) => [upserted.id, upserted.displayName]).sort()).toEqual(
      [
        [created.id, 'Field "Ops"'],
        [group.id, 'Renamed team'],
      ].sort(),
    );
    expect(changes.upsertedUsers).toEqual([]);
  });

  it('returns a deleted group as removed', async () => {
    const doomed = emulator.org.addGroup({ name: 'Short-lived' });
    emulator.org.deleteGroup(doomed.id);
    const changes = await readChanges();
    expect(changes.removedGroupIds).toEqual([doomed.id]);
    expect(changes.upsertedGroups).toEqual([]);
  });

  it('returns direct app assignment and unassignment', async () => {
    const userId = directory.users.find(
      (user) => emulator.org.appUserScope(emulator.org.apps.get(app.id)!, user.id) === undefined,
    )!.id;
    emulator.org.assignUser(app.id, userId);
    expect((await readChanges()).assignmentsAdded).toEqual({ userIds: [userId], groupIds: [] });

    cursor = (await source.readChanges!(cursor, { users: [], groups: [] })).cursor;
    emulator.clock.advance(10 * 60_000);
    emulator.org.unassignUser(app.id, userId);
    expect((await readChanges()).assignmentsRemoved).toEqual({ userIds: [userId], groupIds: [] });
  });

  it('returns group assignments to the app, and does not mistake their members for direct assignments', async () => {
    const group = directory.groups.find((candidate) => !app.groupIds.includes(candidate.id))!;
    emulator.org.assignGroup(app.id, group.id);
    const changes = await readChanges();
    expect(changes.assignmentsAdded?.groupIds).toEqual([group.id]);
    expect(changes.assignmentsAdded?.userIds).toEqual([]);
    emulator.org.unassignGroup(app.id, group.id);
    expect((await readChanges()).assignmentsRemoved?.groupIds).toEqual([group.id]);
  });

  it('costs calls in proportion to the changes, not to the directory', async () => {
    emulator.server.resetCalls();
    emulator.org.updateProfile(activeUser(), { title: 'Principal' });
    await readChanges();
    expect(emulator.server.calls.length).toBeLessThanOrEqual(4);
  });

  it('refuses a cursor older than the System Log retention so that the run falls back to full', async () => {
    emulator.clock.advance(91 * 24 * 60 * 60_000);
    await expect(source.readChanges!(cursor, { users: [], groups: [] })).rejects.toBeInstanceOf(
      CursorExpiredError,
    );
  });
});
