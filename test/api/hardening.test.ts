import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenBook, tokenFromAuthorization } from '../../src/api/auth.js';
import { Secret } from '../../src/config/secret.js';
import { opsQueueName, opsQueuePrefix } from '../../src/queue/names.js';
import { keys } from '../../src/runs/keys.js';
import { recordRun } from '../../src/runs/requestRun.js';
import { type ApiHarness, bearer, startApiHarness, TOKENS } from './fixtures.js';

/**
 * The holes a security review found in the admin API and the dashboard, each kept closed: empty
 * and malformed credentials, unbounded error answers, cross-site dashboard actions, ids that
 * reached Redis unchecked, unthrottled and unaudited sign-ins, missing headers, and the rest.
 */
let api: ApiHarness;
const logLines: string[] = [];
const SAME_ORIGIN = { origin: 'http://localhost' };

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  api = await startApiHarness(13, { logger: pino({ level: 'debug' }, sink) });
});
afterAll(async () => {
  await api?.close();
});

let nextAddress = 1;
/** A client address of its own, so that one test's failed attempts never throttle another's. */
function freshAddress(): string {
  return `10.0.0.${nextAddress++}`;
}

async function signIn(token: string, remoteAddress = freshAddress()): Promise<string> {
  const login = await api.app.inject({
    method: 'POST',
    url: '/admin/login',
    payload: `token=${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN },
    remoteAddress,
  });
  expect(login.statusCode).toBe(303);
  return String(login.headers['set-cookie']).split(';')[0]!;
}

describe('credentials', () => {
  it('never lets an empty presented token match, even a token that is empty by mistake', () => {
    const book = new TokenBook([
      { label: 'blank', token: new Secret('', 'file:/run/secrets/blank'), role: 'operator', tenants: ['*'] },
    ]);
    expect(book.identify('')).toBeUndefined();
    expect(tokenFromAuthorization(`Basic ${Buffer.from('x:').toString('base64')}`)).toBe('');
  });

  it('refuses an empty token, in a bearer header or as a Basic password', async () => {
    for (const authorization of ['Bearer ', 'Bearer', `Basic ${Buffer.from('x:').toString('base64')}`]) {
      const response = await api.app.inject({ url: '/v1/tenants', headers: { authorization } });
      expect(response.statusCode, authorization).toBe(401);
    }
  });

  it('refuses a bearer header with anything after the token', async () => {
    for (const authorization of [
      `Bearer ${TOKENS.operator} junk`,
      `Bearer ${TOKENS.operator},other`.replace(',', ' '),
      `Token ${TOKENS.operator}`,
    ]) {
      const response = await api.app.inject({ url: '/v1/tenants', headers: { authorization } });
      expect(response.statusCode, authorization).toBe(401);
    }
    expect((await api.app.inject({ url: '/v1/tenants', headers: bearer(TOKENS.operator) })).statusCode).toBe(
      200,
    );
  });
});

describe('error answers stay small', () => {
  it('answers a provision body of 500,000 bad items with one problem, quickly', async () => {
    const payload = `{"users":[${new Array(500_000).fill('0').join(',')}]}`;
    const started = Date.now();
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/tenants/alpha/provision',
      headers: { ...bearer(TOKENS.operator), 'content-type': 'application/json' },
      payload,
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(response.statusCode).toBe(400);
    expect(response.body.length).toBeLessThan(1024);
    expect(response.json()).toMatchObject({ field: 'users', message: expect.stringMatching(/at most 50/) });
  });

  it('lists at most 20 problems and says how many there are', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/tenants/alpha/provision',
      headers: bearer(TOKENS.operator),
      payload: { users: new Array(25).fill(''), groups: new Array(25).fill('') },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().problems).toHaveLength(20);
    expect(response.json().problemCount).toBe(50);
  });

  it('keeps a problem short when the body has thousands of unknown fields', async () => {
    const payload = Object.fromEntries(Array.from({ length: 20_000 }, (_, index) => [`field${index}`, 1]));
    const response = await api.app.inject({
      method: 'POST',
      url: '/v1/tenants/alpha/runs',
      headers: bearer(TOKENS.operator),
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.body.length).toBeLessThan(2048);
  });

  it('answers an overlong path parameter with 414 that does not repeat the URL', async () => {
    const tenant = 'x'.repeat(300);
    const response = await api.app.inject({ url: `/v1/tenants/${tenant}`, headers: bearer(TOKENS.operator) });
    expect(response.statusCode).toBe(414);
    expect(response.body).not.toContain(tenant);
  });
});

describe('ids and cursors', () => {
  it('answers 404, never 500, for a run id that would address another key', async () => {
    const run = await recordRun(api.stores, { tenant: 'alpha', mode: 'full', trigger: 'api' });
    await api.stores.redis.hset(keys.runCounts('alpha', run.id), 'create:succeeded', 1);
    const operator = bearer(TOKENS.operator);
    for (const suffix of [':counts', ':failures', ':plan']) {
      const read = await api.app.inject({
        url: `/v1/tenants/alpha/runs/${run.id}${suffix}`,
        headers: operator,
      });
      expect(read.statusCode, suffix).toBe(404);
      const approve = await api.app.inject({
        method: 'POST',
        url: `/v1/tenants/alpha/runs/${run.id}${suffix}/approve`,
        headers: operator,
        payload: {},
      });
      expect(approve.statusCode, suffix).toBe(404);
    }
    expect(
      (await api.app.inject({ url: `/v1/tenants/alpha/runs/${run.id}`, headers: operator })).statusCode,
    ).toBe(200);
  });

  it('answers 400 for an event cursor Redis would refuse, and for a malformed run id filter', async () => {
    const operator = bearer(TOKENS.operator);
    for (const query of ['after=99999999999999999999-1', 'after=1-99999999999999999999', 'runId=x:y']) {
      const response = await api.app.inject({ url: `/v1/tenants/alpha/events?${query}`, headers: operator });
      expect(response.statusCode, query).toBe(400);
    }
    expect(
      (await api.app.inject({ url: '/v1/tenants/alpha/events?after=0-0', headers: operator })).statusCode,
    ).toBe(200);
  });
});

describe('failed authentication', () => {
  it('is throttled per client address: 429 with Retry-After, even for the right token, elsewhere untouched', async () => {
    const attacker = freshAddress();
    for (let attempt = 0; attempt < 20; attempt++) {
      const wrong = await api.app.inject({
        url: '/v1/tenants',
        headers: bearer(`wrong-token-${attempt}-0123456789abcdef`),
        remoteAddress: attacker,
      });
      expect(wrong.statusCode).toBe(401);
    }
    const throttled = await api.app.inject({
      url: '/v1/tenants',
      headers: bearer('wrong-token-again-0123456789abcdef'),
      remoteAddress: attacker,
    });
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    const right = await api.app.inject({
      url: '/v1/tenants',
      headers: bearer(TOKENS.operator),
      remoteAddress: attacker,
    });
    expect(right.statusCode).toBe(429);
    const login = await api.app.inject({
      method: 'GET',
      url: `/admin/login?token=${TOKENS.operator}`,
      remoteAddress: attacker,
    });
    expect(login.statusCode).toBe(429);
    const elsewhere = await api.app.inject({
      url: '/v1/tenants',
      headers: bearer(TOKENS.operator),
      remoteAddress: freshAddress(),
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('does not count a browser whose session ended, however many assets it asks for', async () => {
    const browser = freshAddress();
    for (let asset = 0; asset < 25; asset++) {
      const response = await api.app.inject({
        url: '/admin/queues/api/queues',
        headers: { cookie: 'dirsync_session=ended-long-ago' },
        remoteAddress: browser,
      });
      expect(response.statusCode).toBe(401);
    }
  });

  it('counts wrong tokens at sign-in too', async () => {
    const attacker = freshAddress();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 22; attempt++) {
      const response = await api.app.inject({
        method: 'POST',
        url: '/admin/login',
        payload: `token=guess-${attempt}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN },
        remoteAddress: attacker,
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it('is logged at warn with the address and route, never the token', async () => {
    const address = freshAddress();
    await api.app.inject({
      url: '/v1/tenants/alpha',
      headers: bearer('a-wrong-token-0123456789abcdef'),
      remoteAddress: address,
    });
    const line = logLines.map((text) => JSON.parse(text)).find((entry) => entry.address === address);
    expect(line).toMatchObject({ level: 40, status: 401, route: '/v1/tenants/:tenant' });
    expect(logLines.join('\n')).not.toContain('a-wrong-token-0123456789abcdef');
    for (const token of Object.values(TOKENS)) expect(logLines.join('\n')).not.toContain(token);
  });
});

describe('the audit log', () => {
  it('records every write with the token label, tenant, route, status and request id, for operators', async () => {
    const written = await api.app.inject({
      method: 'POST',
      url: '/v1/tenants/alpha/runs',
      headers: bearer(TOKENS.operator),
      payload: { mode: 'full', dryRun: true },
    });
    expect(written.statusCode).toBe(202);
    await api.app.inject({ method: 'POST', url: '/v1/tenants/beta/reset', headers: bearer(TOKENS.operator) });
    await api.app.inject({
      method: 'POST',
      url: '/v1/tenants/alpha/runs',
      headers: bearer(TOKENS.alphaOperator),
      payload: { mode: 'sideways' },
    });

    const all = (
      await api.app.inject({ url: '/v1/audit?limit=1000', headers: bearer(TOKENS.operator) })
    ).json();
    expect(all.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          method: 'POST',
          route: '/v1/tenants/:tenant/runs',
          tenant: 'alpha',
          token: 'ops',
          status: 202,
          requestId: written.headers['x-request-id'],
        }),
        expect.objectContaining({
          route: '/v1/tenants/:tenant/reset',
          tenant: 'beta',
          token: 'ops',
          status: 200,
        }),
        expect.objectContaining({ tenant: 'alpha', token: 'token-2', status: 400 }),
      ]),
    );
    expect(JSON.stringify(all)).not.toContain(TOKENS.operator);

    const scoped = (await api.app.inject({ url: '/v1/audit', headers: bearer(TOKENS.alphaOperator) })).json();
    expect(scoped.entries.length).toBeGreaterThan(0);
    expect(scoped.entries.every((entry: { tenant?: string }) => entry.tenant === 'alpha')).toBe(true);

    const paged = (
      await api.app.inject({ url: '/v1/audit?limit=1', headers: bearer(TOKENS.operator) })
    ).json();
    const next = (
      await api.app.inject({ url: `/v1/audit?limit=1&after=${paged.next}`, headers: bearer(TOKENS.operator) })
    ).json();
    expect(next.entries[0].id > paged.entries[0].id).toBe(true);

    expect((await api.app.inject({ url: '/v1/audit', headers: bearer(TOKENS.viewer) })).statusCode).toBe(403);
  });
});

describe('the dashboard', () => {
  it('refuses a cross-origin form posted with the session cookie, and one with no origin at all', async () => {
    const session = await signIn(TOKENS.operator);
    const add = (headers: Record<string, string>) =>
      api.app.inject({
        method: 'POST',
        url: '/admin/queues/api/queues/dirsync-reconcile/add',
        headers: { cookie: session, 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ name: 'forged', data: {} }),
      });
    const crossSite: Record<string, string>[] = [
      { origin: 'http://localhost:8081' },
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { referer: 'http://127.0.0.1:9999/page' },
      {},
    ];
    for (const headers of crossSite) {
      expect((await add(headers)).statusCode, JSON.stringify(headers)).toBe(403);
    }
    const forged = async () =>
      (await api.queues.reconcile.getJobs(['waiting', 'prioritized', 'delayed'])).filter(
        (job) => job.name === 'forged',
      ).length;
    expect(await forged()).toBe(0);
    expect((await add({ referer: 'http://localhost/admin/queues' })).statusCode).toBe(200);
    expect(await forged()).toBe(1);
  });

  it('parses a form only on the sign-in route', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const run = await api.app.inject({
      method: 'POST',
      url: '/v1/tenants/alpha/runs',
      headers: { ...bearer(TOKENS.operator), ...form },
      payload: 'mode=full',
    });
    expect(run.statusCode).toBe(415);
    const session = await signIn(TOKENS.operator);
    const add = await api.app.inject({
      method: 'POST',
      url: '/admin/queues/api/queues/dirsync-reconcile/add',
      headers: { cookie: session, ...form, ...SAME_ORIGIN },
      payload: 'name=forged',
    });
    expect(add.statusCode).toBe(415);
  });

  it('sends no-frame, no-store and no-referrer headers on the sign-in page and the dashboard', async () => {
    const session = await signIn(TOKENS.operator);
    for (const [url, headers] of [
      ['/admin/login', {}],
      ['/admin/queues', { cookie: session }],
      ['/docs', {}],
    ] as const) {
      const page = await api.app.inject({ url, headers });
      expect(page.headers['x-frame-options'], url).toBe('DENY');
      expect(page.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(page.headers['cache-control'], url).toBe('no-store');
      expect(page.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  it('signs out by POST only, and can end every session of a token at once', async () => {
    const first = await signIn(TOKENS.operator);
    const second = await signIn(TOKENS.operator);
    const viewer = await signIn(TOKENS.viewer);
    expect((await api.app.inject({ url: '/admin/logout', headers: { cookie: first } })).statusCode).toBe(404);
    const queues = (cookie: string) =>
      api.app.inject({ url: '/admin/queues/api/queues', headers: { cookie } }).then((r) => r.statusCode);
    expect(await queues(first)).toBe(200);
    const out = await api.app.inject({
      method: 'POST',
      url: '/admin/logout?all=1',
      headers: { cookie: first, ...SAME_ORIGIN },
    });
    expect(out.statusCode).toBe(303);
    expect(await queues(first)).toBe(401);
    expect(await queues(second)).toBe(401);
    expect(await queues(viewer)).toBe(200);
  });

  it('shows failed jobs without absolute paths in their stack traces', async () => {
    const queue = new Queue(opsQueueName('beta'), {
      connection: api.queues.connection,
      prefix: opsQueuePrefix('beta'),
    });
    const job = await queue.add('batch', { failing: true });
    const here = process.cwd();
    const trace = `Error: platform refused\n    at apply (${here}/dist/src/queue/opWorker.js:60:5)\n    at async file://${here}/dist/src/x.js:1:2`;
    await api.stores.redis.hset(
      `${queue.qualifiedName}:${job.id}`,
      'failedReason',
      `cannot read ${here}/secrets/token`,
      'stacktrace',
      JSON.stringify([trace]),
    );
    const session = await signIn(TOKENS.viewer);
    const answer = await api.app.inject({
      url: `/admin/queues/api/queues/${queue.name}/${job.id}`,
      headers: { cookie: session },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('opWorker.js:60:5');
    expect(answer.body).not.toContain(here);
    await queue.close();
  });
});

describe('behind a TLS-terminating proxy', () => {
  it('marks the session cookie Secure only when a trusted proxy says the request came over TLS', async () => {
    const proxied = await startApiHarness(14, { trustProxy: ['127.0.0.1'] });
    try {
      const login = (headers: Record<string, string>) =>
        proxied.app.inject({ url: `/admin/login?token=${TOKENS.operator}`, headers });
      expect(String((await login({ 'x-forwarded-proto': 'https' })).headers['set-cookie'])).toMatch(
        /; Secure/,
      );
      expect(String((await login({})).headers['set-cookie'])).not.toMatch(/Secure/);
    } finally {
      await proxied.close();
    }
    const direct = await api.app.inject({
      url: `/admin/login?token=${TOKENS.operator}`,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(direct.headers['set-cookie'])).not.toMatch(/Secure/);
  });
});
