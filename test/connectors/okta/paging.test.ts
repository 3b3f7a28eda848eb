import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OktaEmulator } from '../../emulators/okta/index.js';
import { oktaSource, startEmulator } from './support.js';

describe('Okta pages that are empty but still have a next link', () => {
  let emulator: OktaEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it('ends a System Log read at the empty page although its next link never ends', async () => {
    const { source } = oktaSource(emulator);
    const cursor = (await source.readFull()).cursor!;
    emulator.server.resetCalls();
    const { changes } = await source.readChanges!(cursor, { users: [], groups: [] });
    expect(changes.membershipsAdded).toEqual([]);
    expect(emulator.server.calls.filter((call) => call.path === '/api/v1/logs')).toHaveLength(1);
  });

  it('follows a polling next link until the events run out', async () => {
    const { source } = oktaSource(emulator);
    const cursor = (await source.readFull()).cursor!;
    const group = emulator.org.addGroup({ name: 'Busy' });
    const users = Array.from({ length: 1_100 }, (_unused, index) =>
      emulator.org.addUser({ login: `u${index}@example.com` }),
    );
    for (const user of users) emulator.org.addMember(group.id, user.id);
    emulator.server.resetCalls();
    const { changes } = await source.readChanges!(cursor, { users: [], groups: [] });
    expect(changes.membershipsAdded).toHaveLength(1_100);
    expect(changes.upsertedUsers).toHaveLength(1_100);
    // 1,101 events asked for (membership adds and the group's creation) at 1,000 a page, then
    // the empty page that ends the poll.
    expect(emulator.server.calls.filter((call) => call.path === '/api/v1/logs')).toHaveLength(3);
  });
});
