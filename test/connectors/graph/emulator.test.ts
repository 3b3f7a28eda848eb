import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, TENANT_ID, testSource } from './support.js';

const emulator = await startTestEmulator({ deltaPageSize: 2 });
afterAll(() => emulator.close());
const { directory } = emulator;
for (let index = 0; index < 5; index++)
  directory.addUser({ userPrincipalName: `user${index}@contoso.example` });

async function accessToken(): Promise<string> {
  const response = await fetch(`${emulator.authorityHost}/${TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: `${emulator.url}/.default`,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function get(
  url: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every item of one delta round from `link`, following next links. */
async function deltaItems(
  link: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ items: Record<string, unknown>[]; deltaLink: string }> {
  const items: Record<string, unknown>[] = [];
  for (let url = link; ; ) {
    const page = await get(url, token, headers);
    items.push(...(page.body.value as Record<string, unknown>[]));
    if (typeof page.body['@odata.nextLink'] === 'string') url = page.body['@odata.nextLink'];
    else return { items, deltaLink: String(page.body['@odata.deltaLink']) };
  }
}

const SELECT = 'id,accountEnabled,displayName,jobTitle,department,mail';
const MINIMAL = { prefer: 'return=minimal' };

describe('Graph emulator', () => {
  it('refuses $top above 999 as Graph does', async () => {
    const answer = await get(`${emulator.graphBaseUrl}/users?$top=1000`, await accessToken());
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } });
  });

  it('answers startswith ignoring case and refuses contains and startswith on a property Graph refuses it on', async () => {
    const token = await accessToken();
    const users = (filter: string) =>
      get(`${emulator.graphBaseUrl}/users?$filter=${encodeURIComponent(filter)}&$top=2`, token);
    const found = await users("startswith(userPrincipalName,'USER1') or startswith(mail,'user1')");
    expect(found.status).toBe(200);
    expect(
      (found.body.value as { userPrincipalName: string }[]).map((user) => user.userPrincipalName),
    ).toEqual(['user1@contoso.example']);
    expect(((await users("startswith(userPrincipalName,'user')")).body.value as unknown[]).length).toBe(2);
    for (const refused of ["contains(userPrincipalName,'user')", "startswith(accountEnabled,'t')"]) {
      const answer = await users(refused);
      expect(answer.status, refused).toBe(400);
      expect(answer.body, refused).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } });
    }
  });

  it('replays in the next round an object changed while a delta round was paging', async () => {
    const token = await accessToken();
    const first = await get(`${emulator.graphBaseUrl}/users/delta`, token);
    const changed = directory.sortedUsers()[0] ?? '';
    directory.updateUser(changed, { jobTitle: 'Changed mid-round' });
    let page = first;
    while (typeof page.body['@odata.nextLink'] === 'string')
      page = await get(page.body['@odata.nextLink'], token);
    const next = await get(String(page.body['@odata.deltaLink']), token);
    expect(next.body.value).toEqual([
      expect.objectContaining({ id: changed, jobTitle: 'Changed mid-round' }),
    ]);
  });

  it('answers 401 once access tokens expire, and the read fails saying so', async () => {
    const source = testSource(emulator);
    await source.readFull();
    emulator.expireAccessTokens();
    await expect(source.readFull()).rejects.toThrow(/401 InvalidAuthenticationToken/);
  });

  it('gives an updated user as its id and exactly the changed properties, a cleared one as null, with return=minimal', async () => {
    const token = await accessToken();
    const id = directory.sortedUsers()[1] ?? '';
    directory.updateUser(id, { jobTitle: 'Before', department: 'Sales', mail: 'before@contoso.example' });
    const { deltaLink } = await deltaItems(
      `${emulator.graphBaseUrl}/users/delta?$deltatoken=latest&$select=${SELECT}`,
      token,
    );
    directory.updateUser(id, { jobTitle: 'After', department: null });
    const { items } = await deltaItems(deltaLink, token, MINIMAL);
    expect(items).toEqual([{ id, jobTitle: 'After', department: null }]);
  });

  it('without return=minimal gives the changed properties that have a value and some unchanged ones, never a null', async () => {
    const token = await accessToken();
    const ids = directory.sortedUsers();
    for (const id of ids)
      directory.updateUser(id, { displayName: `Name of ${id}`, mail: `${id}@contoso.example` });
    const { deltaLink } = await deltaItems(
      `${emulator.graphBaseUrl}/users/delta?$deltatoken=latest&$select=${SELECT}`,
      token,
    );
    for (const id of ids) directory.updateUser(id, { jobTitle: 'Changed', mail: null });
    const { items } = await deltaItems(deltaLink, token);
    expect(items).toHaveLength(ids.length);
    for (const item of items) {
      expect(item).toMatchObject({ jobTitle: 'Changed' });
      expect(Object.values(item)).not.toContain(null);
      expect(item).not.toHaveProperty('mail');
      if ('displayName' in item) expect(item.displayName).toBe(`Name of ${String(item.id)}`);
    }
    const carried = items.map((item) => Object.keys(item).length);
    expect(new Set(carried).size, 'which unchanged properties come along varies').toBeGreaterThan(1);
  });

  it('leaves null-valued properties out of an initial delta round and list pages, not out of a read by id', async () => {
    const token = await accessToken();
    const id = directory.sortedUsers()[2] ?? '';
    directory.updateUser(id, { jobTitle: null });
    const { items } = await deltaItems(`${emulator.graphBaseUrl}/users/delta?$select=${SELECT}`, token);
    const list = await get(`${emulator.graphBaseUrl}/users?$select=${SELECT}`, token);
    for (const item of [...items, ...(list.body.value as Record<string, unknown>[])])
      expect(Object.values(item)).not.toContain(null);
    const byId = await get(`${emulator.graphBaseUrl}/users/${id}?$select=${SELECT}`, token);
    expect(byId.body).toMatchObject({ id, jobTitle: null });
  });

  it('gives a renamed group as its id and name, without members', async () => {
    const token = await accessToken();
    const group = directory.addGroup({ displayName: 'Before rename' });
    for (const id of directory.sortedUsers()) directory.addMember(group.id, id);
    const { deltaLink } = await deltaItems(
      `${emulator.graphBaseUrl}/groups/delta?$deltatoken=latest&$select=displayName,members`,
      token,
    );
    directory.renameGroup(group.id, 'After rename');
    const { items } = await deltaItems(deltaLink, token, MINIMAL);
    expect(items).toEqual([{ id: group.id, displayName: 'After rename' }]);
  });

  it('answers a JSON batch request by request, and refuses more than 20', async () => {
    const token = await accessToken();
    const id = directory.sortedUsers()[0] ?? '';
    const batch = (requests: unknown[]) =>
      fetch(`${emulator.graphBaseUrl}/$batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ requests }),
      });
    const answer = await batch([
      { id: 'a', method: 'GET', url: `/users/${id}?$select=id,userPrincipalName` },
      { id: 'b', method: 'GET', url: '/users/00000000-0000-0000-0000-000000000000' },
    ]);
    expect(answer.status).toBe(200);
    const { responses } = (await answer.json()) as { responses: Record<string, unknown>[] };
    expect(responses).toEqual([
      {
        id: 'a',
        status: 200,
        headers: expect.objectContaining({ 'Content-Type': 'application/json' }),
        body: { id, userPrincipalName: expect.any(String) },
      },
      expect.objectContaining({
        id: 'b',
        status: 404,
        body: { error: expect.objectContaining({ code: 'Request_ResourceNotFound' }) },
      }),
    ]);
    const tooMany = Array.from({ length: 21 }, (_unused, index) => ({
      id: String(index),
      method: 'GET',
      url: `/users/${id}`,
    }));
    const refused = await batch(tooMany);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'BadRequest' } });
    expect((await batch(tooMany.slice(0, 20))).status).toBe(200);
  });

  it('gives a member page inside a batch a next link that reads on outside it', async () => {
    const token = await accessToken();
    const group = directory.addGroup({ displayName: 'Paged inside a batch' }).id;
    const members = directory.sortedUsers().slice(0, 5);
    for (const member of members) directory.addMember(group, member);
    const answer = await fetch(`${emulator.graphBaseUrl}/$batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        requests: [{ id: '1', method: 'GET', url: `/groups/${group}/members?$select=id&$top=3` }],
      }),
    });
    const { responses } = (await answer.json()) as { responses: { body: Record<string, unknown> }[] };
    const firstPage = responses[0]?.body ?? {};
    const nextLink = String(firstPage['@odata.nextLink']);
    expect(nextLink.startsWith(`${emulator.graphBaseUrl}/groups/${group}/members?`)).toBe(true);
    const rest = await get(nextLink, token);
    const ids = [...(firstPage.value as { id: string }[]), ...(rest.body.value as { id: string }[])].map(
      (member) => member.id,
    );
    expect(ids).toEqual(members);
    expect(rest.body['@odata.nextLink']).toBeUndefined();
  });
});
