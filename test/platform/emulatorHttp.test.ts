import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { CORE_USER_URN, ERROR_URN } from '../../src/platform/scimSchemas.js';
import type { ScimEmulator } from '../emulators/scim/scimEmulator.js';
import { startTestEmulator, TOKEN } from './support.js';

let emulator: ScimEmulator;
const origin = () => new URL(emulator.url).origin;

async function scim(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      ...(token !== null && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/scim+json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  emulator = await startTestEmulator({ pageCap: 100 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.store.clear();
  emulator.server.resetCalls();
  emulator.server.setFaults({});
});

describe('SCIM endpoints', () => {
  test('401 in the SCIM error envelope without the right bearer token', async () => {
    for (const token of [null, 'wrong', `${TOKEN}x`]) {
      const answer = await scim('GET', '/Users', undefined, token);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ schemas: [ERROR_URN], status: '401' });
    }
  });

  test('lists cap count at the page size and report totalResults, itemsPerPage and startIndex', async () => {
    for (let index = 0; index < 150; index++) emulator.store.seedUser({ userName: `user${index}` });
    const first = await scim('GET', '/Users?count=1000');
    expect(first.body).toMatchObject({ totalResults: 150, itemsPerPage: 100, startIndex: 1 });
    const second = await scim('GET', '/Users?startIndex=101&count=1000');
    expect(second.body).toMatchObject({ totalResults: 150, itemsPerPage: 50, startIndex: 101 });
    expect(second.body.Resources[0].userName).toBe('user100');
    const beyond = await scim('GET', '/Users?startIndex=500');
    expect(beyond.body).toMatchObject({ totalResults: 150, itemsPerPage: 0, Resources: [] });
    const countOnly = await scim('GET', '/Users?count=0');
    expect(countOnly.body).toMatchObject({ totalResults: 150, itemsPerPage: 0 });
  });

  test('a filter with no match is 200 with an empty list; a broken one is 400 invalidFilter', async () => {
    emulator.store.seedUser({ userName: 'Alice@Contoso.com', externalId: 'a-1' });
    const hit = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "alice@contoso.com"')}`);
    expect(hit.body.totalResults).toBe(1);
    const miss = await scim('GET', `/Users?filter=${encodeURIComponent('externalId eq "A-1"')}`);
    expect(miss).toMatchObject({ status: 200, body: { totalResults: 0, Resources: [] } });
    const broken = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "x')}`);
    expect(broken).toMatchObject({ status: 400, body: { scimType: 'invalidFilter' } });
  });

  test('POST 201 with Location and meta; a duplicate userName is 409 uniqueness', async () => {
    const created = await scim('POST', '/Users', { schemas: [CORE_USER_URN], userName: 'bob' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${emulator.url}/Users/${created.body.id}`);
    expect(created.body.meta).toMatchObject({ resourceType: 'User', version: expect.any(String) });
    const duplicate = await scim('POST', '/Users', { schemas: [CORE_USER_URN], userName: 'BOB' });
    expect(duplicate).toMatchObject({
      status: 409,
      body: { schemas: [ERROR_URN], status: '409', scimType: 'uniqueness' },
    });
    const noSchema = await scim('POST', '/Users', { userName: 'carol' });
    expect(noSchema).toMatchObject({ status: 400, body: { scimType: 'invalidSyntax' } });
  });

  test('PUT replaces the whole resource and keeps its creation time', async () => {
    const created = await scim('POST', '/Users', { schemas: [CORE_USER_URN], userName: 'dan', title: 'Dev' });
    const replaced = await scim('PUT', `/Users/${created.body.id}`, {
      schemas: [CORE_USER_URN],
      userName: 'dan2',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.title).toBeUndefined();
    expect(replaced.body.meta.created).toBe(created.body.meta.created);
    expect(replaced.body.meta.version).not.toBe(created.body.meta.version);
  });

  test('excludedAttributes=members leaves members out; DELETE is 204 then 404', async () => {
    const userId = emulator.store.seedUser({ userName: 'erin' }).id as string;
    const group = emulator.store.seedGroup({ displayName: 'Ops', members: [{ value: userId }] });
    const listed = await scim('GET', '/Groups?excludedAttributes=members');
    expect(listed.body.Resources[0]).not.toHaveProperty('members');
    expect(listed.body.Resources[0]).toMatchObject({ id: group.id, displayName: 'Ops' });
    expect((await scim('DELETE', `/Groups/${group.id}`)).status).toBe(204);
    expect(await scim('DELETE', `/Groups/${group.id}`)).toMatchObject({
      status: 404,
      body: { status: '404' },
    });
  });

  test('ServiceProviderConfig says what the emulator supports', async () => {
    const config = await scim('GET', '/ServiceProviderConfig');
    expect(config.body).toMatchObject({
      patch: { supported: true },
      filter: { supported: true, maxResults: 100 },
    });
  });
});

describe('control endpoints', () => {
  test('bypass auth, faults and the call log; faults and reset act on the emulator', async () => {
    emulator.store.seedUser({ userName: 'frank' });
    const post = (path: string, body?: unknown) =>
      fetch(`${origin()}/_control/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
    expect((await post('faults', { rate429: 1, retryAfterSeconds: 0 })).status).toBe(204);
    const state = (await (await fetch(`${origin()}/_control/state`)).json()) as { users: unknown[] };
    expect(state.users).toHaveLength(1);
    const throttled = await scim('GET', '/Users');
    expect(throttled).toMatchObject({ status: 429, body: { schemas: [ERROR_URN], status: '429' } });
    expect(throttled.headers.get('retry-after')).toBe('0');
    const calls = await (await fetch(`${origin()}/_control/calls`)).json();
    expect(calls).toEqual([{ method: 'GET', path: '/scim/v2/Users', status: 429 }]);
    expect((await post('faults', { rate429: 'lots' })).status).toBe(400);
    expect((await post('reset')).status).toBe(204);
    expect(emulator.store.users()).toEqual([]);
    expect(emulator.server.calls).toEqual([]);
    expect((await scim('GET', '/Users')).status).toBe(200);
  });
});
