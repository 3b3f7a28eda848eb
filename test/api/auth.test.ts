import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, bearer, startApiHarness, TOKENS } from './fixtures.js';

let api: ApiHarness;
const bodies: string[] = [];

beforeAll(async () => {
  api = await startApiHarness(3);
});
afterAll(async () => {
  await api?.close();
});

async function call(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string> = {},
  payload?: object | string,
) {
  const response = await api.app.inject({
    method,
    url,
    headers,
    ...(payload !== undefined ? { payload } : {}),
  });
  bodies.push(response.body);
  return response;
}

describe('the auth matrix', () => {
  it('answers health and readiness without a token', async () => {
    expect((await call('GET', '/healthz')).statusCode).toBe(200);
    const ready = await call('GET', '/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, redis: 'ok', tenants: 2 });
  });

  it('401 without a token, with a wrong token, and with a malformed header', async () => {
    for (const headers of [{}, bearer('not-a-token'), { authorization: TOKENS.operator }]) {
      const response = await call('GET', '/v1/tenants', headers);
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toContain('Bearer');
    }
    expect((await call('POST', '/v1/tenants/alpha/runs', {}, { mode: 'full' })).statusCode).toBe(401);
  });

  it('403 for a viewer on every write route, while it may read', async () => {
    const viewer = bearer(TOKENS.viewer);
    for (const url of [
      '/v1/tenants/alpha/runs',
      '/v1/tenants/alpha/reset',
      '/v1/tenants/alpha/test-connection',
      '/v1/tenants/alpha/runs/some-run/approve',
    ]) {
      const response = await call('POST', url, viewer, {});
      expect(response.statusCode, url).toBe(403);
      expect(response.json().message).toMatch(/operator/);
    }
    expect((await call('GET', '/v1/tenants/alpha', viewer)).statusCode).toBe(200);
    expect((await call('GET', '/v1/tenants/alpha/runs', viewer)).statusCode).toBe(200);
  });

  it('403 for a token scoped to another tenant; it sees only its own tenant in the list', async () => {
    const alpha = bearer(TOKENS.alphaOperator);
    expect((await call('GET', '/v1/tenants/beta', alpha)).statusCode).toBe(403);
    expect((await call('POST', '/v1/tenants/beta/runs', alpha, { mode: 'full' })).statusCode).toBe(403);
    expect((await call('GET', '/v1/tenants/beta/events', alpha)).statusCode).toBe(403);
    const list = await call('GET', '/v1/tenants', alpha);
    expect(list.json().tenants.map((tenant: { id: string }) => tenant.id)).toEqual(['alpha']);
    expect((await call('GET', '/v1/tenants/alpha', alpha)).statusCode).toBe(200);
  });

  it('routes that show every tenant need a token for every tenant', async () => {
    expect((await call('GET', '/metrics', bearer(TOKENS.alphaOperator))).statusCode).toBe(403);
    expect((await call('GET', '/admin/queues', bearer(TOKENS.alphaOperator))).statusCode).toBe(403);
    expect((await call('GET', '/metrics', bearer(TOKENS.viewer))).statusCode).toBe(200);
  });

  it('404 for an unknown tenant or run', async () => {
    const operator = bearer(TOKENS.operator);
    const tenant = await call('GET', '/v1/tenants/nowhere', operator);
    expect(tenant.statusCode).toBe(404);
    expect(tenant.json().message).toBe('tenant nowhere not found');
    expect((await call('POST', '/v1/tenants/nowhere/runs', operator, { mode: 'full' })).statusCode).toBe(404);
    expect((await call('GET', '/v1/tenants/alpha/runs/no-such-run', operator)).statusCode).toBe(404);
    expect((await call('POST', '/v1/tenants/alpha/runs/no-such-run/approve', operator, {})).statusCode).toBe(
      404,
    );
  });

  it('400 naming the failing field of a bad body or query', async () => {
    const operator = bearer(TOKENS.operator);
    const badMode = await call('POST', '/v1/tenants/alpha/runs', operator, { mode: 'sideways' });
    expect(badMode.statusCode).toBe(400);
    expect(badMode.json().field).toBe('mode');
    const badDry = await call('POST', '/v1/tenants/alpha/runs', operator, { mode: 'full', dryRun: 'yes' });
    expect(badDry.json().field).toBe('dryRun');
    const unknown = await call('POST', '/v1/tenants/alpha/runs', operator, { mode: 'full', force: true });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().field).toBe('force');
    const badLimit = await call('GET', '/v1/tenants/alpha/events?limit=0', operator);
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().field).toBe('limit');
    const notJson = await call(
      'POST',
      '/v1/tenants/alpha/runs',
      { ...operator, 'content-type': 'application/json' },
      '{',
    );
    expect(notJson.statusCode).toBe(400);
  });

  it('never echoes a token in any answer', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) {
      for (const token of Object.values(TOKENS)) expect(body).not.toContain(token);
    }
  });
});
