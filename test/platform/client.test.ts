import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { PlatformError } from '../../src/model/platform.js';
import { ENTERPRISE_USER_URN } from '../../src/model/scim.js';
import type { ScimPlatform } from '../../src/platform/client.js';
import type { ScimEmulator } from '../emulators/scim/scimEmulator.js';
import { clientFor, RecordingCounter, startTestEmulator, TOKEN, testCertificates } from './support.js';

const DEPARTMENT = `${ENTERPRISE_USER_URN}:department`;

let emulator: ScimEmulator;
let client: ScimPlatform;
let counter: RecordingCounter;
/** Draws for fault injection: queued values first, then "no fault". */
const draws: number[] = [];

beforeAll(async () => {
  emulator = await startTestEmulator({ pageCap: 100, random: () => draws.shift() ?? 0.999 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.store.clear();
  emulator.server.resetCalls();
  emulator.server.setFaults({});
  draws.length = 0;
  counter = new RecordingCounter();
  client = clientFor(emulator, { counter, concurrency: 4 });
});
afterEach(() => client.close());

const callsTo = (method: string, pathStart: string) =>
  emulator.server.calls.filter((call) => call.method === method && call.path.startsWith(pathStart));

function seedUsers(count: number): string[] {
  return Array.from({ length: count }, (_, index) =>
    String(emulator.store.seedUser({ userName: `user${index}@contoso.com`, externalId: `ext-${index}` }).id),
  );
}

describe('listing', () => {
  test('reads every user past the server page cap, in as many pages as the cap needs', async () => {
    seedUsers(250);
    const users = await client.listUsers();
    expect(users).toHaveLength(250);
    expect(new Set(users.map((user) => user.externalId)).size).toBe(250);
    expect(callsTo('GET', '/scim/v2/Users')).toHaveLength(3);
    expect(counter.calls).toBe(3);
  });

  test('fetches the pages after the first in parallel', async () => {
    seedUsers(500);
    emulator.server.setFaults({ latencyMs: 300 });
    const started = Date.now();
    await client.listUsers();
    // 5 pages, 300 ms each: first alone, then 4 together ≈ 600 ms; one by one would be ≥ 1500 ms.
    expect(Date.now() - started).toBeLessThan(1200);
  });

  test('reads groups with their members', async () => {
    const userIds = seedUsers(3);
    for (let index = 0; index < 120; index++)
      emulator.store.seedGroup({
        displayName: `Group ${index}`,
        members: userIds.map((value) => ({ value })),
      });
    const groups = await client.listGroups();
    expect(groups).toHaveLength(120);
    expect(groups[119]).toMatchObject({ displayName: 'Group 119', memberIds: userIds });
  });
});

describe('finding', () => {
  test('escapes quotes, backslashes, filter words and unicode in values', async () => {
    const names = [
      'quote"d@x.com',
      'back\\slash@x.com',
      'x" or userName pr or userName eq "y',
      'Zoë 名前@x.com',
    ];
    for (const userName of names) emulator.store.seedUser({ userName });
    emulator.store.seedUser({ userName: 'decoy@x.com' });
    const found = await client.findUsers({ userNames: names });
    expect(found.map((user) => user.attributes.userName).sort()).toEqual([...names].sort());
  });

  test('batches values into OR filters and merges by externalId, userName and email', async () => {
    seedUsers(45);
    emulator.store.seedUser({ userName: 'mail-only', emails: [{ type: 'work', value: 'Only@Mail.com' }] });
    const found = await client.findUsers({
      externalIds: Array.from({ length: 45 }, (_, index) => `ext-${index}`),
      userNames: ['user0@contoso.com'],
      emails: ['only@mail.com'],
    });
    expect(found).toHaveLength(46);
    // 45 external ids in batches of 20 → 3, plus one userName and one email filter
    expect(callsTo('GET', '/scim/v2/Users')).toHaveLength(5);
  });

  test('finds groups by externalId and display name', async () => {
    emulator.store.seedGroup({ displayName: 'Sales "EMEA"', externalId: 'g-1' });
    emulator.store.seedGroup({ displayName: 'Support', externalId: 'g-2' });
    const found = await client.findGroups({ displayNames: ['sales "emea"'], externalIds: ['g-2', 'g-3'] });
    expect(found.map((group) => group.externalId).sort()).toEqual(['g-1', 'g-2']);
  });
});

describe('users', () => {
  test('create, patch each kind of change, deactivate, delete', async () => {
    const created = await client.createUser({
      externalId: 'src-1',
      active: true,
      attributes: {
        userName: 'alice@contoso.com',
        'name.givenName': 'Alice',
        'emails[type eq "work"].value': 'alice@contoso.com',
        [DEPARTMENT]: 'Sales',
      },
    });
    expect(await client.getUser(created.id)).toMatchObject({ externalId: 'src-1', active: true });
    await client.patchUser(created.id, [
      { path: 'name.givenName', from: 'Alice', to: 'Alicia' },
      { path: 'title', to: 'Lead' },
      { path: 'emails[type eq "work"].value', from: 'alice@contoso.com', to: 'alicia@contoso.com' },
      { path: 'phoneNumbers[type eq "mobile"].value', to: '+1 555 0100' },
      { path: DEPARTMENT, from: 'Sales' },
      { path: 'active', from: true, to: false },
    ]);
    expect(callsTo('PATCH', '/scim/v2/Users')).toHaveLength(1);
    expect(await client.getUser(created.id)).toEqual({
      id: created.id,
      externalId: 'src-1',
      active: false,
      attributes: {
        userName: 'alice@contoso.com',
        'name.givenName': 'Alicia',
        'emails[type eq "work"].value': 'alicia@contoso.com',
        'phoneNumbers[type eq "mobile"].value': '+1 555 0100',
        title: 'Lead',
      },
    });
    await client.deleteUser(created.id);
    await client.deleteUser(created.id);
    expect(await client.getUser(created.id)).toBeUndefined();
  });

  test('a duplicate create surfaces as a 409 PlatformError the caller can adopt from', async () => {
    emulator.store.seedUser({ userName: 'bob@contoso.com' });
    const attempt = client.createUser({
      externalId: 'b',
      active: true,
      attributes: { userName: 'Bob@contoso.com' },
    });
    await expect(attempt).rejects.toMatchObject({ status: 409, scimType: 'uniqueness', isConflict: true });
  });

  test('a bad patch is a PlatformError with the status and the SCIM detail', async () => {
    const [id] = seedUsers(1);
    const attempt = client.patchUser(id!, [{ path: 'title[', to: 'x' }]);
    await expect(attempt).rejects.toBeInstanceOf(PlatformError);
    await expect(attempt).rejects.toThrow(/failed with 400 \(invalidPath: title\[/);
  });
});

describe('groups', () => {
  test('create with members, rename, add and remove members in chunks, delete', async () => {
    const userIds = seedUsers(250);
    const group = await client.createGroup({
      externalId: 'g-1',
      displayName: 'Sales',
      memberIds: userIds.slice(0, 10),
    });
    expect((await client.getGroup(group.id))?.memberIds).toEqual(userIds.slice(0, 10));
    await client.patchGroup(group.id, [{ path: 'displayName', from: 'Sales', to: 'Sales EMEA' }]);
    const chunked = clientFor(emulator, { membersPerPatch: 100 });
    await chunked.addMembers(group.id, userIds);
    expect(callsTo('PATCH', '/scim/v2/Groups')).toHaveLength(1 + 3);
    await chunked.removeMembers(group.id, userIds.slice(0, 150));
    expect(callsTo('PATCH', '/scim/v2/Groups')).toHaveLength(1 + 3 + 2);
    chunked.close();
    expect(await client.getGroup(group.id)).toEqual({
      id: group.id,
      externalId: 'g-1',
      displayName: 'Sales EMEA',
      memberIds: userIds.slice(150),
    });
    await client.deleteGroup(group.id);
    await client.deleteGroup(group.id);
    expect(await client.getGroup(group.id)).toBeUndefined();
  });

  test('reads capabilities from /ServiceProviderConfig', async () => {
    expect(await client.capabilities()).toEqual({
      patch: true,
      filter: true,
      maxResults: 100,
      sort: false,
      etag: false,
      bulk: false,
      bulkMaxOperations: 0,
    });
  });
});

describe('throttling and failures', () => {
  test('429 and 503 are waited out as Retry-After says, each wait counted', async () => {
    seedUsers(1);
    emulator.server.setFaults({ rate429: 0.3, rate503: 0.3, retryAfterSeconds: 0 });
    draws.push(0.1, 0.5); // one 429, then one 503, then through
    expect(await client.listUsers()).toHaveLength(1);
    expect(callsTo('GET', '/scim/v2/Users').map((call) => call.status)).toEqual([429, 503, 200]);
    expect(counter.waits).toEqual([0, 0]);
    expect(counter.calls).toBe(3);
  });

  test('a Retry-After of one second is honoured', async () => {
    emulator.server.setFaults({ rate429: 0.5, retryAfterSeconds: 1 });
    draws.push(0.1);
    const started = Date.now();
    await client.capabilities();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(counter.waits).toEqual([1000]);
  });

  test('gives up after the bounded number of attempts with the throttling status', async () => {
    emulator.server.setFaults({ rate429: 1, retryAfterSeconds: 0 });
    const impatient = clientFor(emulator, { retry: { maxAttempts: 3 } });
    await expect(impatient.capabilities()).rejects.toMatchObject({ status: 429 });
    expect(emulator.server.calls).toHaveLength(3);
    impatient.close();
  });

  test('a wrong token is fatal for the tenant, and no error carries the token', async () => {
    const wrongToken = 'definitely-not-the-token';
    const unauthorised = clientFor(emulator, { token: wrongToken });
    const error = await unauthorised.listUsers().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).failure).toEqual({ class: 'fatal', cause: 'credentials' });
    expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain(wrongToken);
    expect(String(error)).not.toContain(TOKEN);
    unauthorised.close();
  });

  test('connection failures are retried a few times, then reported without the token', async () => {
    const closed = await startTestEmulator();
    const url = closed.url;
    await closed.close();
    const unreachable = clientFor(emulator, {
      baseUrl: url,
      retry: { baseDelayMs: 1, maxNetworkRetries: 2 },
      counter,
    });
    const error = await unreachable.listUsers().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 0, message: expect.stringContaining('ECONNREFUSED') });
    expect(counter.calls).toBe(3);
    unreachable.close();
  });

  test('a platform that stops answering times out and is tried again, not waited on forever', async () => {
    emulator.server.setFaults({ latencyMs: 2_000 });
    const stalled = clientFor(emulator, {
      timeoutMs: 150,
      retry: { baseDelayMs: 1, maxNetworkRetries: 1 },
      counter,
    });
    const started = Date.now();
    const error = await stalled.capabilities().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 0, message: expect.stringContaining('ETIMEDOUT') });
    expect(counter.calls).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_500);
    stalled.close();
  });

  test('an extra CA is trusted on top of the default ones', async () => {
    seedUsers(1);
    const withCa = clientFor(emulator, { ca: testCertificates().caPem });
    expect(await withCa.listUsers()).toHaveLength(1);
    withCa.close();
  });
});
