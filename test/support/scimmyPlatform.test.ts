import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestPlatform, type TestPlatform } from './testPlatform.js';

const TOKEN = 'scimmy-platform-token-31c7';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** The rules the platform team wrote around scimmy hold, so a suite passing against it means something. */
describe('the scimmy platform the end-to-end suites run against', () => {
  let platform: TestPlatform;
  const post = (collection: string, body: object, token = TOKEN) =>
    fetch(`${platform.url}/${collection}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    platform = await startTestPlatform('scimmy', { token: TOKEN, pageCap: 2 });
  });
  afterAll(() => platform?.close());

  test('a userName is unique whatever its case: a second one is refused with 409 uniqueness', async () => {
    expect((await post('Users', { schemas: [USER_SCHEMA], userName: 'Ada@example.com' })).status).toBe(201);
    const duplicate = await post('Users', { schemas: [USER_SCHEMA], userName: 'ada@EXAMPLE.com' });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ scimType: 'uniqueness' });
  });

  test('a group member must be an existing user: anything else is refused with 400', async () => {
    const refused = await post('Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Ghosts',
      members: [{ value: 'no-such-user' }],
    });
    expect(refused.status).toBe(400);
    expect((await platform.resources()).groups).toEqual([]);
  });

  test('a request without the bearer token is refused with 401 and stores nothing', async () => {
    const refused = await post('Users', { schemas: [USER_SCHEMA], userName: 'eve@example.com' }, 'wrong');
    expect(refused.status).toBe(401);
    const userNames = (await platform.resources()).users.map((user) => user.userName);
    expect(userNames).toEqual(['Ada@example.com']);
  });

  test('lists come in pages of at most the advertised maxResults; the test’s own reads are not logged', async () => {
    for (const userName of ['b@example.com', 'c@example.com'])
      await post('Users', { schemas: [USER_SCHEMA], userName });
    platform.resetCalls();
    const page = await fetch(`${platform.url}/Users?count=1000`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await page.json()).toMatchObject({ totalResults: 3, itemsPerPage: 2 });
    expect((await platform.resources()).users).toHaveLength(3);
    expect(platform.calls).toEqual([{ method: 'GET', path: '/scim/v2/Users', status: 200 }]);
  });
});
