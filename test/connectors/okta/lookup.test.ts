import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOktaOrg, type OktaEmulator } from '../../emulators/okta/index.js';
import { oktaSource, startEmulator } from './support.js';

describe('Okta lookup for on-demand provisioning', () => {
  const directory = generateOktaOrg({ users: 60, groups: 3, seed: 9 });
  const app = directory.apps[0]!;
  let emulator: OktaEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ directory });
  });
  afterAll(() => emulator.close());

  it('finds a user whose login holds quotes and backslashes, with the groups and assignment', async () => {
    const login = 'o"brien\\ops@example.com';
    const user = emulator.org.addUser({
      login,
      email: 'shared@example.com',
      firstName: 'Pat',
      lastName: 'O"Brien',
    });
    const decoy = emulator.org.addUser({ login: 'obrien@example.com', email: 'decoy@example.com' });
    const group = emulator.org.addGroup({ name: 'Field "Ops" \\ EMEA' });
    emulator.org.addMember(group.id, user.id);
    emulator.org.addMember(group.id, decoy.id);
    emulator.org.assignUser(app.id, user.id);
    emulator.org.assignGroup(app.id, group.id);

    const { source } = oktaSource(emulator, { scope: { mode: 'app', appId: app.id } });
    const { snapshot, resolved } = await source.lookup({ users: [login], groups: [] });

    expect(resolved).toEqual({ [login]: user.id });
    expect(snapshot.users.map((found) => found.id)).toEqual([user.id]);
    expect(snapshot.groups).toEqual([expect.objectContaining({ id: group.id, memberIds: [user.id] })]);
    expect(snapshot.assignments).toEqual({ userIds: [user.id], groupIds: [group.id] });

    const byGroup = await source.lookup({ users: [], groups: ['Field "Ops" \\ EMEA'] });
    expect(byGroup.resolved).toEqual({ 'Field "Ops" \\ EMEA': group.id });
    expect(byGroup.snapshot.users.map((found) => found.id).sort()).toEqual([user.id, decoy.id].sort());
  });

  it('resolves by id and by email, and leaves unknown references unresolved', async () => {
    const seeded = directory.users[10]!;
    const { source } = oktaSource(emulator);
    const { resolved, snapshot } = await source.lookup({
      users: [seeded.id, seeded.profile.email!, 'nobody@example.com', '00u00000000000000zzz'],
      groups: ['No such group'],
    });
    expect(resolved).toEqual({ [seeded.id]: seeded.id, [seeded.profile.email!]: seeded.id });
    expect(snapshot.users.map((user) => user.id)).toEqual([seeded.id]);
  });
});
