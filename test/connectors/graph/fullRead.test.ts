import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { DirectorySnapshot } from '../../../src/model/directory.js';
import { generateGraphDirectory } from '../../emulators/graph/generator.js';
import { recordingCounter, seededRandom, servedPaths, startTestEmulator, testSource } from './support.js';

const SERVICE_PRINCIPAL_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const directory = generateGraphDirectory({ users: 2_100, groups: 150, nestedDepth: 3, seed: 42 });
const emulator = await startTestEmulator({
  directory,
  servicePrincipalId: SERVICE_PRINCIPAL_ID,
  random: seededRandom(7),
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.server.setFaults({});
  emulator.server.resetCalls();
});

const groupIds = new Set(directory.groups.map((group) => group.id));

function membershipCount(snapshot: DirectorySnapshot): number {
  return snapshot.groups.reduce((total, group) => total + group.memberIds.length, 0);
}

/** The assigned groups and every group nested in them, from the generated data. */
function reachableFromAssignedGroups(): Set<string> {
  const byId = new Map(directory.groups.map((group) => [group.id, group]));
  const reached = new Set(directory.assignedPrincipalIds.filter((id) => groupIds.has(id)));
  const pending = [...reached];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const member of byId.get(next)?.memberIds ?? []) {
      if (groupIds.has(member) && !reached.has(member)) {
        reached.add(member);
        pending.push(member);
      }
    }
  }
  return reached;
}

describe('Graph full read', () => {
  it('returns every user and group over every page, with direct members and nested groups', async () => {
    const { snapshot, cursor } = await testSource(emulator).readFull();

    expect(snapshot.users).toHaveLength(2_100);
    expect(snapshot.groups).toHaveLength(150);
    expect(membershipCount(snapshot)).toBe(
      directory.groups.reduce((sum, group) => sum + group.memberIds.length, 0),
    );
    expect(servedPaths(emulator).filter((path) => path === '/v1.0/users')).toHaveLength(3);
    expect(emulator.directory.counts()).toMatchObject({
      users: snapshot.users.length,
      groups: snapshot.groups.length,
      memberships: membershipCount(snapshot),
    });

    const [first] = directory.users;
    expect(snapshot.users.find((user) => user.id === first?.id)).toEqual({
      id: first?.id,
      active: first?.accountEnabled,
      attributes: {
        userPrincipalName: first?.userPrincipalName,
        accountEnabled: first?.accountEnabled,
        displayName: first?.displayName,
        givenName: first?.givenName,
        surname: first?.surname,
        mail: first?.mail,
        jobTitle: first?.jobTitle,
        department: first?.department,
        employeeId: first?.employeeId,
      },
    });
    const disabled = directory.users.find((user) => user.accountEnabled === false);
    expect(snapshot.users.find((user) => user.id === disabled?.id)?.active).toBe(false);
    const withoutMail = directory.users.find((user) => user.mail === undefined);
    expect(snapshot.users.find((user) => user.id === withoutMail?.id)?.attributes).not.toHaveProperty('mail');

    const parent = directory.groups.find((group) => group.memberIds.some((id) => groupIds.has(id)));
    const read = snapshot.groups.find((group) => group.id === parent?.id);
    expect(read?.displayName).toBe(parent?.displayName);
    expect([...(read?.memberIds ?? [])].sort()).toEqual([...(parent?.memberIds ?? [])].sort());

    expect(Object.keys(JSON.parse(cursor ?? '{}'))).toEqual(['v', 'users', 'groups', 'userSelect']);
  });

  it('reads only the assigned groups and the groups nested in them for assigned scope', async () => {
    const { snapshot } = await testSource(emulator, {
      scope: { mode: 'assigned', servicePrincipalId: SERVICE_PRINCIPAL_ID },
    }).readFull();

    const reachable = reachableFromAssignedGroups();
    expect(new Set(snapshot.groups.map((group) => group.id))).toEqual(reachable);
    expect(emulator.batchedCalls.filter((call) => call.path.endsWith('/members'))).toHaveLength(
      reachable.size,
    );
    expect(snapshot.users).toHaveLength(2_100);
    expect(new Set(snapshot.assignments?.groupIds)).toEqual(
      new Set(directory.assignedPrincipalIds.filter((id) => groupIds.has(id))),
    );
    expect(new Set(snapshot.assignments?.userIds)).toEqual(
      new Set(directory.assignedPrincipalIds.filter((id) => !groupIds.has(id))),
    );
  });

  it('waits out a storm of 429s and returns the same snapshot, counting every call', async () => {
    const calm = await testSource(emulator).readFull();
    emulator.server.resetCalls();
    emulator.server.setFaults({ rate429: 0.5, retryAfterSeconds: 0 });
    const counter = recordingCounter();

    const stormy = await testSource(emulator, {}, counter).readFull();

    const refused = emulator.server.calls.filter((call) => call.status === 429);
    expect(refused.length).toBeGreaterThan(10);
    expect(stormy.snapshot).toEqual(calm.snapshot);
    expect(counter.throttles).toBe(refused.length);
    expect(counter.calls).toBe(emulator.server.calls.length);
  });

  it('reads compressed answers as Graph sends them to clients that accept gzip', async () => {
    const plain = await testSource(emulator).readFull();
    emulator.server.setCompression(true);
    try {
      const compressed = await testSource(emulator).readFull();
      expect(compressed.snapshot).toEqual(plain.snapshot);
      expect(compressed.snapshot.users).toHaveLength(directory.users.length);
    } finally {
      emulator.server.setCompression(false);
    }
  });

  it('fails instead of returning a partial snapshot when a page keeps failing', async () => {
    const source = testSource(emulator);
    await source.readFull();
    emulator.server.setFaults({ rate503: 1, retryAfterSeconds: 0 });
    await expect(source.readFull()).rejects.toThrow(/Graph GET \/users\/delta failed: 503/);
  });
});
