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

async function get(url: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Graph emulator', () => {
  it('refuses $top above 999 as Graph does', async () => {
    const answer = await get(`${emulator.graphBaseUrl}/users?$top=1000`, await accessToken());
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } });
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
});
