import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphHttp } from '../../../connectors/graph/client.js';
import { createGraphCredential, graphTokenScope } from '../../../connectors/graph/credential.js';
import { expandGroups } from '../../../connectors/graph/groupExpansion.js';
import type { DirectorySnapshot } from '../../../src/model/directory.js';
import { graphConfig, recordingCounter, servedPaths, startTestEmulator, testSource } from './support.js';

/**
 * A directory of 45 flat groups of 3 users each, a chain of nested groups (outer ⊃ middle ⊃ inner)
 * and one group of 1,200 users: longer than Graph's largest page of 999.
 */
const emulator = await startTestEmulator();
afterAll(() => emulator.close());
const { directory } = emulator;
const users = Array.from(
  { length: 1_300 },
  (_unused, index) => directory.addUser({ userPrincipalName: `member${index}@contoso.example` }).id,
);
const flat = Array.from({ length: 45 }, (_unused, index) => {
  const group = directory.addGroup({ displayName: `Team ${index}` });
  for (const offset of [0, 1, 2]) directory.addMember(group.id, users[index * 3 + offset] ?? '');
  return group.id;
});
const outer = directory.addGroup({ displayName: 'Outer' }).id;
const middle = directory.addGroup({ displayName: 'Middle' }).id;
const inner = directory.addGroup({ displayName: 'Inner' }).id;
directory.addMember(outer, middle);
directory.addMember(outer, users[0] ?? '');
directory.addMember(middle, inner);
directory.addMember(inner, users[1] ?? '');
const large = directory.addGroup({ displayName: 'Everyone' }).id;
for (const id of users.slice(0, 1_200)) directory.addMember(large, id);
const groupCount = flat.length + 4;

beforeEach(() => {
  emulator.server.resetCalls();
  emulator.throttleBatchItems(0);
});

function membersOf(snapshot: DirectorySnapshot, groupId: string): string[] {
  return [...(snapshot.groups.find((group) => group.id === groupId)?.memberIds ?? [])].sort();
}

const memberPath = /^\/v1\.0\/groups\/[^/]+\/members$/;

describe('group members of a Graph full read, through JSON $batch', () => {
  it('reads every group in all scope with far fewer calls than groups, each member list whole', async () => {
    const { snapshot } = await testSource(emulator).readFull();

    expect(snapshot.groups).toHaveLength(groupCount);
    expect(membersOf(snapshot, flat[7] ?? '')).toEqual(users.slice(21, 24).sort());
    expect(membersOf(snapshot, outer)).toEqual([middle, users[0]].sort());
    expect(membersOf(snapshot, large)).toEqual(users.slice(0, 1_200).sort());
    // Every group's first member page went inside a batch; 49 groups are three batches.
    const batched = emulator.batchedCalls.filter((call) => memberPath.test(call.path));
    expect(new Set(batched.map((call) => call.path)).size).toBe(groupCount);
    expect(servedPaths(emulator).filter((path) => path === '/v1.0/$batch')).toHaveLength(3);
    // The one list longer than a page went on through its next link, outside the batch.
    expect(servedPaths(emulator).filter((path) => memberPath.test(path))).toEqual([
      `/v1.0/groups/${large}/members`,
    ]);
  });

  it('reaches nested groups level by level for a groups scope', async () => {
    const { snapshot } = await testSource(emulator, {
      scope: { mode: 'groups', groups: [outer] },
    }).readFull();

    expect(snapshot.groups.map((group) => group.id).sort()).toEqual([outer, middle, inner].sort());
    expect(membersOf(snapshot, middle)).toEqual([inner]);
    expect(membersOf(snapshot, inner)).toEqual([users[1]]);
    // One batch per level: outer, then middle, then inner.
    expect(servedPaths(emulator).filter((path) => path === '/v1.0/$batch')).toHaveLength(3);
  });

  it('waits out a group whose member request the batch answers 429, and reads the same directory', async () => {
    const calm = await testSource(emulator).readFull();
    emulator.server.resetCalls();
    emulator.throttleBatchItems(2, 1);
    const counter = recordingCounter();

    const started = Date.now();
    const throttled = await testSource(emulator, {}, counter).readFull();

    expect(throttled.snapshot).toEqual(calm.snapshot);
    expect(emulator.batchedCalls.filter((call) => call.status === 429)).toHaveLength(2);
    expect(counter.throttles).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('leaves out a group deleted between the group list and its members', async () => {
    const config = graphConfig(emulator);
    const counter = recordingCounter();
    const http = new GraphHttp({
      graphBaseUrl: config.graphBaseUrl,
      credential: createGraphCredential(config, counter),
      scope: graphTokenScope(config),
      counter,
    });
    const gone = { id: '00000000-0000-4000-8000-000000000000', displayName: 'Deleted meanwhile' };

    const expansion = await expandGroups(http, [gone, { id: inner, displayName: 'Inner' }], {
      select: ['id'],
      keepUsers: false,
    });

    expect(expansion.groups.map((group) => group.id)).toEqual([inner]);
    expect(emulator.batchedCalls.map((call) => call.status).sort()).toEqual([200, 404]);
  });
});
