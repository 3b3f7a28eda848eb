import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, bearer, startApiHarness, TOKENS } from './fixtures.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness(5);
});
afterAll(async () => {
  await api?.close();
});

function basic(token: string): { authorization: string } {
  return { authorization: `Basic ${Buffer.from(`support:${token}`).toString('base64')}` };
}

describe('the queue dashboard', () => {
  it('asks a browser for credentials, and serves the page to a bearer or Basic-auth token', async () => {
    const anonymous = await api.app.inject({ method: 'GET', url: '/admin/queues' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm="dirsync"/);
    for (const headers of [bearer(TOKENS.viewer), basic(TOKENS.operator)]) {
      const page = await api.app.inject({ method: 'GET', url: '/admin/queues', headers });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toMatch(/src="static\/js\/main\.\w+\.js"/);
    }
  });

  it('signs a browser in with a session cookie that reaches the queue API and its assets', async () => {
    const login = await api.app.inject({
      method: 'POST',
      url: '/admin/login',
      payload: `token=${TOKENS.operator}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
    });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/admin/queues');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
    expect(cookie).not.toContain(TOKENS.operator);
    const session = cookie.split(';')[0]!;
    const queues = await api.app.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: { cookie: session },
    });
    expect(queues.statusCode).toBe(200);
    const names = (queues.json().queues as { name: string }[]).map((queue) => queue.name).sort();
    expect(names).toEqual(['dirsync-ops-alpha', 'dirsync-ops-beta', 'dirsync-reconcile', 'dirsync-schedule']);
    const page = await api.app.inject({ method: 'GET', url: '/admin/queues', headers: { cookie: session } });
    const asset = /src="(static\/js\/main\.\w+\.js)"/.exec(page.body)?.[1];
    expect(asset).toBeDefined();
    const script = await api.app.inject({
      method: 'GET',
      url: `/admin/queues/${asset}`,
      headers: { cookie: session },
    });
    expect(script.statusCode).toBe(200);

    const logout = await api.app.inject({
      method: 'POST',
      url: '/admin/logout',
      headers: { cookie: session, origin: 'http://localhost' },
    });
    expect(logout.statusCode).toBe(303);
    expect(
      (await api.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie: session } }))
        .statusCode,
    ).toBe(401);
  });

  it('refuses a bad token at sign-in, a cookie outside the dashboard, and a viewer acting on queues', async () => {
    const bad = await api.app.inject({ method: 'GET', url: `/admin/login?token=wrong` });
    expect(bad.statusCode).toBe(401);
    const viewerLogin = await api.app.inject({ method: 'GET', url: `/admin/login?token=${TOKENS.viewer}` });
    const session = String(viewerLogin.headers['set-cookie']).split(';')[0]!;
    expect(
      (await api.app.inject({ method: 'GET', url: '/v1/tenants', headers: { cookie: session } })).statusCode,
    ).toBe(401);
    const pause = await api.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/dirsync-reconcile/pause',
      headers: { cookie: session, origin: 'http://localhost' },
    });
    expect(pause.statusCode).toBe(403);
  });
});
