import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOktaOrg, type OktaDirectory, type OktaEmulator } from '../../emulators/okta/index.js';
import { oktaSource, startEmulator } from './support.js';

const ACTIVE = new Set(['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY']);

describe('Okta full read of a generated org', () => {
  const directory: OktaDirectory = generateOktaOrg({ users: 2_100, groups: 24, seed: 7 });
  const app = directory.apps[0]!;
  let emulator: OktaEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ directory });
  });
  afterAll(() => emulator.close());

  it('reads every user of every status, DEPROVISIONED included, past many pages', async () => {
    const { source } = oktaSource(emulator, { scope: { mode: 'app', appId: app.id } });
    const { snapshot, cursor } = await source.readFull();

    const byStatus = (status: string) => directory.users.filter((user) => user.status === status).length;
    expect(byStatus('DEPROVISIONED')).toBeGreaterThan(0);
    expect(snapshot.users).toHaveLength(2_100);
    const deprovisioned = snapshot.users.filter((user) => user.attributes.status === 'DEPROVISIONED');
    expect(deprovisioned).toHaveLength(byStatus('DEPROVISIONED'));
    expect(snapshot.users.filter((user) => user.active)).toHaveLength(
      directory.users.filter((user) => ACTIVE.has(user.status)).length,
    );
    expect(new Set(snapshot.users.map((user) => user.attributes.status)).size).toBe(8);
    expect(cursor).toBeDefined();
    // Two user lists of 200 per page, not one call per user.
    const userPages = emulator.server.calls.filter((call) => call.path === '/api/v1/users').length;
    expect(userPages).toBe(
      Math.ceil((2_100 - byStatus('DEPROVISIONED')) / 200) + Math.ceil(byStatus('DEPROVISIONED') / 200),
    );
  });

  it('reads every group with all of its members and the app assignments, direct and through groups', async () => {
    const { source } = oktaSource(emulator, { scope: { mode: 'app', appId: app.id } });
    const { snapshot } = await source.readFull();

    expect(snapshot.groups).toHaveLength(24);
    for (const group of directory.groups) {
      const read = snapshot.groups.find((candidate) => candidate.id === group.id);
      expect(read?.displayName).toBe(group.name);
      expect([...(read?.memberIds ?? [])].sort()).toEqual([...group.memberIds].sort());
    }
    expect(directory.groups.some((group) => group.memberIds.length > 200)).toBe(true);
    expect([...(snapshot.assignments?.userIds ?? [])].sort()).toEqual([...app.userIds].sort());
    expect([...(snapshot.assignments?.groupIds ?? [])].sort()).toEqual([...app.groupIds].sort());
    expect(app.userIds.length).toBeGreaterThan(50);
  });

  it('maps profiles per the default mapping, computing displayName from first and last name when absent', async () => {
    const { source } = oktaSource(emulator);
    const { snapshot } = await source.readFull();
    const seeded = directory.users.find((user) => user.profile.displayName === undefined)!;
    const read = snapshot.users.find((user) => user.id === seeded.id)!;
    expect(read.attributes['profile.login']).toBe(seeded.profile.login);
    expect(read.attributes['profile.displayName']).toBe(
      `${seeded.profile.firstName} ${seeded.profile.lastName}`,
    );
    expect(snapshot.assignments).toBeUndefined();
  });

  it('leaves STAGED and PROVISIONED users out when the pending-users rule says skip', async () => {
    const { source } = oktaSource(emulator, { pendingUsers: 'skip' });
    const { snapshot } = await source.readFull();
    const pending = directory.users.filter(
      (user) => user.status === 'STAGED' || user.status === 'PROVISIONED',
    );
    expect(snapshot.users).toHaveLength(2_100 - pending.length);
  });

  it('fails the read when a page fails instead of returning a partial directory', async () => {
    const { source } = oktaSource(emulator);
    emulator.server.setFaults({ rate503: 1 });
    try {
      await expect(source.readFull()).rejects.toThrow(/503/);
    } finally {
      emulator.server.setFaults({});
    }
  });
});
