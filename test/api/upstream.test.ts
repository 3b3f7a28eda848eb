import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/app.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/observability/logger.js';
import { type ScimEmulator, startScimEmulator } from '../../src/platform/emulator/scimEmulator.js';
import { QueueSet } from '../../src/queue/queues.js';
import { createStores } from '../../src/runs/runtime.js';
import { connectRedis } from '../../src/service/redis.js';
import { createScheduleQueue } from '../../src/service/schedules.js';
import { ensureDevCertificates } from '../../src/tls/devCertificates.js';

const OPERATOR = 'operator-token-upstream-0123456789';
const WRONG_SCIM_TOKEN = 'not-the-platform-token-4242';

let emulator: ScimEmulator;
let app: FastifyInstance;
let close: () => Promise<void>;

beforeAll(async () => {
  emulator = await startScimEmulator({
    certificates: ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!),
    token: 'the-platform-token',
  });
  const url = `${process.env.REDIS_URL}/11`;
  const flush = new Redis(url);
  await flush.flushdb();
  flush.disconnect();
  const config = parseConfig(
    `
api:
  listen: 127.0.0.1:0
  tokens: [{ token: env:OPERATOR_TOKEN, role: operator, tenants: ["*"] }]
tenants:
  - id: refused
    source: { type: file, path: ${join(process.cwd(), 'config', 'demo', 'directory.json')} }
    target: { url: "${emulator.url}", token: env:SCIM_TOKEN }
`,
    process.cwd(),
    { env: { OPERATOR_TOKEN: OPERATOR, SCIM_TOKEN: WRONG_SCIM_TOKEN } },
  );
  const redis = connectRedis(url);
  const queues = new QueueSet(redis);
  const scheduleQueue = createScheduleQueue(queues.connection);
  app = await buildApi({
    config,
    stores: createStores(redis),
    queues,
    scheduleQueue,
    logger: silentLogger(),
  });
  await app.ready();
  close = async () => {
    await app.close();
    await scheduleQueue.close();
    await queues.close();
    redis.disconnect();
  };
});
afterAll(async () => {
  await close?.();
  await emulator?.close();
});

const post = (url: string, payload: object) =>
  app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${OPERATOR}` }, payload });

describe('a request that fails because the platform answered an error', () => {
  it('provision on demand answers 502 naming the platform, its status and reason, not 500 internal', async () => {
    const response = await post('/v1/tenants/refused/provision', { users: ['ada@example.com'], groups: [] });
    expect(response.statusCode).toBe(502);
    const body = response.json();
    expect(body).toMatchObject({
      error: 'platform',
      status: 401,
      detail: expect.stringContaining('a valid bearer token is required'),
    });
    expect(body.detail.length).toBeLessThanOrEqual(500);
    expect(response.body).not.toContain(WRONG_SCIM_TOKEN);
  });

  it('test-connection answers 502 with the platform reason and the whole report', async () => {
    const response = await post('/v1/tenants/refused/test-connection', {});
    expect(response.statusCode).toBe(502);
    const body = response.json();
    expect(body).toMatchObject({ error: 'platform', status: 401, ok: false, tenant: 'refused' });
    expect(body.checks).toContainEqual(
      expect.objectContaining({ side: 'target', ok: false, upstream: { origin: 'platform', status: 401 } }),
    );
    expect(response.body).not.toContain(WRONG_SCIM_TOKEN);
  });
});
