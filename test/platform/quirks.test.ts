import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { LookupFallback } from '../../src/model/platform.js';
import type { ScimPlatform } from '../../src/platform/client.js';
import type { ScimEmulator } from '../emulators/scim/scimEmulator.js';
import { clientFor, startTestEmulator } from './support.js';

const WORK_EMAIL = 'emails[type eq "work"].value';

let emulator: ScimEmulator;
let client: ScimPlatform;

beforeAll(async () => {
  emulator = await startTestEmulator({ pageCap: 100 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.store.clear();
  emulator.store.quirks = {};
  emulator.server.resetCalls();
  client = clientFor(emulator, { concurrency: 4 });
});
afterEach(() => client.close());

const callsTo = (method: string, pathStart: string) =>
  emulator.server.calls.filter((call) => call.method === method && call.path.startsWith(pathStart));

function seedUsers(count: number): string[] {
  return Array.from({ length: count }, (_, index) =>
    String(emulator.store.seedUser({ userName: `user${index}@contoso.com`, externalId: `ext-${index}` }).id),
  );
}

function seedUser(resource: Record<string, unknown>): string {
  return String(emulator.store.seedUser(resource).id);
}

function storedUser(id: string) {
  const user = emulator.store.users().find((candidate) => candidate.id === id);
  if (!user) throw new Error(`no user ${id}`);
  return user;
}

describe('PATCH forms', () => {
  for (const behaviour of ['refuse', 'ignore'] as const) {
    test(`a work email the user lacks arrives on a server that would ${behaviour} a value-path add`, async () => {
      emulator.store.quirks = { valuePathWithoutTarget: behaviour };
      const id = seedUser({
        userName: 'alice@contoso.com',
        emails: [{ type: 'home', value: 'alice@home.example', primary: true }],
      });
      await client.patchUser(id, [{ path: WORK_EMAIL, to: 'alice@contoso.com' }], {
        userName: 'alice@contoso.com',
        [WORK_EMAIL]: 'alice@contoso.com',
        'emails[type eq "home"].value': 'alice@home.example',
      });
      expect(storedUser(id).emails).toEqual([
        { type: 'home', value: 'alice@home.example', primary: true },
        { type: 'work', value: 'alice@contoso.com' },
      ]);
      const [patch] = callsTo('PATCH', '/scim/v2/Users');
      expect(patch?.status).toBe(200);
      expect(callsTo('PATCH', '/scim/v2/Users')).toHaveLength(1);
    });

    test(`a stale copy that believes the email is there still gets it written where the server would ${behaviour}`, async () => {
      emulator.store.quirks = { valuePathWithoutTarget: behaviour };
      const id = seedUser({ userName: 'bob@contoso.com' });
      await client.patchUser(id, [{ path: WORK_EMAIL, from: 'old@contoso.com', to: 'bob@contoso.com' }]);
      expect(storedUser(id).emails).toEqual([{ type: 'work', value: 'bob@contoso.com', primary: true }]);
    });
  }

  test('the first element of a multi-valued attribute is primary, and an existing one is replaced in place', async () => {
    emulator.store.quirks = { valuePathWithoutTarget: 'refuse' };
    const id = seedUser({ userName: 'carol@contoso.com' });
    await client.patchUser(id, [{ path: WORK_EMAIL, to: 'carol@contoso.com' }]);
    await client.patchUser(id, [{ path: WORK_EMAIL, from: 'carol@contoso.com', to: 'carol.b@contoso.com' }]);
    expect(storedUser(id).emails).toEqual([{ type: 'work', value: 'carol.b@contoso.com', primary: true }]);
    expect(callsTo('PATCH', '/scim/v2/Users').map((call) => call.status)).toEqual([200, 200]);
  });

  test('a PATCH answered 204 with no body is a success', async () => {
    emulator.store.quirks = { patchNoContent: true };
    const id = seedUser({ userName: 'dan@contoso.com' });
    await client.patchUser(id, [
      { path: 'title', to: 'Lead' },
      { path: WORK_EMAIL, to: 'dan@contoso.com' },
      { path: 'active', from: true, to: false },
    ]);
    expect(callsTo('PATCH', '/scim/v2/Users').map((call) => call.status)).toEqual([204]);
    expect(await client.getUser(id)).toMatchObject({
      active: false,
      attributes: { title: 'Lead', [WORK_EMAIL]: 'dan@contoso.com' },
    });
  });
});

describe('lists', () => {
  test('itemsPerPage echoing count does not cut or stretch a listing', async () => {
    emulator.store.quirks = { itemsPerPageEchoesCount: true };
    seedUsers(250);
    const users = await client.listUsers();
    expect(new Set(users.map((user) => user.id)).size).toBe(250);
    expect(callsTo('GET', '/scim/v2/Users')).toHaveLength(3);
  });

  test('a server answering page 1 again past the end is read to totalResults and no further', async () => {
    emulator.store.quirks = { pastEndRestarts: true };
    seedUsers(250);
    const paged = clientFor(emulator, { concurrency: 1, pageSize: 100 });
    const users = await paged.listUsers();
    paged.close();
    expect(users.map((user) => user.externalId)).toEqual(
      Array.from({ length: 250 }, (_, index) => `ext-${index}`),
    );
    expect(callsTo('GET', '/scim/v2/Users')).toHaveLength(3);
  });

  test('a server that ignores startIndex fails the listing clearly instead of losing every page but the first', async () => {
    emulator.store.quirks = { ignoresStartIndex: true };
    seedUsers(150);
    await expect(client.listUsers()).rejects.toThrow(
      /answered startIndex 101 with the first page again: the platform does not page this list/,
    );
  });

  test('an empty list without Resources, or with [], is an empty answer', async () => {
    for (const emptyResources of ['absent', 'empty'] as const) {
      emulator.store.quirks = { emptyResources };
      expect(await client.listUsers()).toEqual([]);
      expect(await client.findUsers({ userNames: ['nobody@contoso.com'], externalIds: ['x'] })).toEqual([]);
      expect(await client.listGroups()).toEqual([]);
    }
  });

  test('a create answered without Location gives the id from the body', async () => {
    emulator.store.quirks = { noLocation: true };
    const created = await client.createUser({
      externalId: 'e-1',
      active: true,
      attributes: { userName: 'erin@contoso.com' },
    });
    expect(callsTo('POST', '/scim/v2/Users')[0]?.status).toBe(201);
    expect(storedUser(created.id).userName).toBe('erin@contoso.com');
  });
});

describe('lookups', () => {
  test('userName and email are found whatever their case on a server that compares case', async () => {
    emulator.store.quirks = { caseExactFilters: true };
    emulator.store.seedUser({
      userName: 'frank@contoso.com',
      emails: [{ type: 'work', value: 'frank@contoso.com' }],
    });
    emulator.store.seedUser({ userName: 'grace@contoso.com', externalId: 'G-1' });
    expect(await client.findUsers({ userNames: ['Frank@Contoso.com'] })).toHaveLength(1);
    expect(await client.findUsers({ emails: ['FRANK@contoso.COM'] })).toHaveLength(1);
    // externalId is case-exact (RFC 7643): another case is another object.
    expect(await client.findUsers({ externalIds: ['g-1'] })).toEqual([]);
  });

  test('a name stored in mixed case is found by a scan on a server that compares case, once it is known to', async () => {
    emulator.store.quirks = { caseExactFilters: true };
    emulator.store.seedUser({ userName: 'Kim.Lee@Contoso.com', externalId: 'k-1' });
    const fallbacks: LookupFallback[] = [];
    const found = await client.findUsers({ userNames: ['kim.lee@CONTOSO.com'] }, (fallback) =>
      fallbacks.push(fallback),
    );
    expect(found.map((user) => user.externalId)).toEqual(['k-1']);
    expect(fallbacks).toEqual([
      { resourceType: 'Users', attribute: 'userName', reason: 'caseExact', scanned: 1, found: 1 },
    ]);
  });

  test('on a server that ignores case as it should, a userName it does not find is absent, never scanned', async () => {
    emulator.store.seedUser({ userName: 'Kim.Lee@Contoso.com', externalId: 'k-1' });
    const fallbacks: LookupFallback[] = [];
    const found = await client.findUsers({ userNames: ['nobody@contoso.com'] }, (fallback) =>
      fallbacks.push(fallback),
    );
    expect(found).toEqual([]);
    expect(fallbacks).toEqual([]);
  });

  test('a server answering a filter with what it was not asked for is not believed', async () => {
    emulator.store.quirks = { caseExactFilters: true };
    emulator.store.seedUser({ userName: 'henry@contoso.com', externalId: 'h-1' });
    emulator.store.seedUser({ userName: 'ivy@contoso.com', externalId: 'H-1' });
    const found = await client.findUsers({ externalIds: ['h-1'] });
    expect(found.map((user) => user.attributes.userName)).toEqual(['henry@contoso.com']);
  });

  test('refused filters are answered by one scan, and the scan is reported', async () => {
    emulator.store.quirks = { refuseFilters: 'all' };
    seedUsers(120);
    const fallbacks: LookupFallback[] = [];
    const found = await client.findUsers(
      { userNames: ['USER7@contoso.com', 'missing@contoso.com'], externalIds: ['ext-99'] },
      (fallback) => fallbacks.push(fallback),
    );
    expect(found.map((user) => user.externalId).sort()).toEqual(['ext-7', 'ext-99']);
    expect(fallbacks).toEqual([
      { resourceType: 'Users', attribute: 'externalId', reason: 'refused', scanned: 120, found: 1 },
      { resourceType: 'Users', attribute: 'userName', reason: 'refused', scanned: 120, found: 1 },
    ]);
    // two refused filters, then the 120 users in two pages, read once for both attributes
    expect(callsTo('GET', '/scim/v2/Users').map((call) => call.status)).toEqual([400, 400, 200, 200]);
  });

  test('a follow-up lookup that needs a scan reuses the one the first round made', async () => {
    emulator.store.quirks = { refuseFilters: 'all' };
    seedUsers(120);
    seedUser({ userName: 'legacy@contoso.com', emails: [{ type: 'work', value: 'jo@contoso.com' }] });
    const fallbacks: LookupFallback[] = [];
    const seen: string[][] = [];
    const found = await client.findUsers(
      { externalIds: ['ext-3'], userNames: ['jo@contoso.com'] },
      (fallback) => fallbacks.push(fallback),
      (first) => {
        seen.push(first.map((user) => user.externalId ?? ''));
        return { emails: ['JO@contoso.com'] };
      },
    );
    expect(seen).toEqual([['ext-3']]);
    expect(found.map((user) => user.attributes.userName).sort()).toEqual([
      'legacy@contoso.com',
      'user3@contoso.com',
    ]);
    expect(fallbacks.map((fallback) => [fallback.attribute, fallback.found])).toEqual([
      ['externalId', 1],
      ['userName', 0],
      ['emails.value', 1],
    ]);
    // three refused filters and the 121 users in two pages, read once for both rounds
    expect(callsTo('GET', '/scim/v2/Users').map((call) => call.status)).toEqual([400, 400, 200, 200, 400]);
  });

  test('a follow-up that names nothing more sends nothing more', async () => {
    seedUsers(3);
    const found = await client.findUsers({ externalIds: ['ext-1'] }, undefined, () => ({ emails: [] }));
    expect(found.map((user) => user.externalId)).toEqual(['ext-1']);
    expect(callsTo('GET', '/scim/v2/Users')).toHaveLength(1);
  });

  test('a scan is logged for runs, which have no trace to carry it', async () => {
    emulator.store.quirks = { refuseFilters: 'all' };
    seedUsers(3);
    const warnings: { object: object; message: string }[] = [];
    const logged = clientFor(emulator, {
      logger: { warn: (object, message) => warnings.push({ object, message }) },
    });
    await logged.findUsers({ externalIds: ['ext-1'] });
    logged.close();
    expect(warnings).toEqual([
      {
        object: { resourceType: 'Users', attribute: 'externalId', reason: 'refused', scanned: 3, found: 1 },
        message: 'the platform could not answer a lookup by filter; scanned instead',
      },
    ]);
  });

  test('a scan stops with a clear error past its cap rather than read a huge directory', async () => {
    emulator.store.quirks = { refuseFilters: 'all' };
    seedUsers(30);
    const capped = clientFor(emulator, { scanCap: 25 });
    const attempt = capped.findUsers({ userNames: ['user1@contoso.com'] });
    await expect(attempt).rejects.toThrow(/lists 30 resources, more than the 25/);
    capped.close();
  });

  test('a name holding a quote is found where escaped filters are refused', async () => {
    emulator.store.quirks = { refuseFilters: 'escaped' };
    emulator.store.seedGroup({ displayName: 'Sales "EMEA"', externalId: 'g-1' });
    emulator.store.seedGroup({ displayName: 'Support', externalId: 'g-2' });
    const fallbacks: LookupFallback[] = [];
    const found = await client.findGroups({ displayNames: ['Sales "EMEA"', 'Support'] }, (fallback) =>
      fallbacks.push(fallback),
    );
    expect(found.map((group) => group.externalId).sort()).toEqual(['g-1', 'g-2']);
    expect(fallbacks).toEqual([
      { resourceType: 'Groups', attribute: 'displayName', reason: 'refused', scanned: 2, found: 1 },
    ]);
  });

  test('a name holding a backslash is found on a server that does not decode escapes', async () => {
    emulator.store.quirks = { undecodedEscapes: true };
    emulator.store.seedUser({ userName: 'back\\slash@contoso.com', externalId: 'b-1' });
    const fallbacks: LookupFallback[] = [];
    const found = await client.findUsers({ userNames: ['back\\slash@contoso.com'] }, (fallback) =>
      fallbacks.push(fallback),
    );
    expect(found.map((user) => user.externalId)).toEqual(['b-1']);
    expect(fallbacks).toEqual([
      { resourceType: 'Users', attribute: 'userName', reason: 'undecoded', scanned: 1, found: 1 },
    ]);
  });

  test('a conforming server answers every lookup by filter, with no scan', async () => {
    emulator.store.seedUser({ userName: 'quote"d@contoso.com', externalId: 'q-1' });
    const fallbacks: LookupFallback[] = [];
    const found = await client.findUsers(
      { userNames: ['quote"d@contoso.com'], externalIds: ['q-1'] },
      (fallback) => fallbacks.push(fallback),
    );
    expect(found).toHaveLength(1);
    expect(fallbacks).toEqual([]);
    expect(callsTo('GET', '/scim/v2/Users')).toHaveLength(2);
  });

  test('an escaped name that a decoding server does not find is absent: asked once, never scanned', async () => {
    seedUsers(3);
    const fallbacks: LookupFallback[] = [];
    const observe = (fallback: LookupFallback) => fallbacks.push(fallback);
    expect(await client.findUsers({ userNames: ['new"comer@contoso.com'] }, observe)).toEqual([]);
    expect(await client.findUsers({ userNames: ['back\\slash@contoso.com'] }, observe)).toEqual([]);
    expect(fallbacks).toEqual([]);
    // two lookups, and once: one user read, then that user looked up by an escaped name and by
    // its name in the other case
    expect(callsTo('GET', '/scim/v2/Users')).toHaveLength(2 + 3);
  });
});
