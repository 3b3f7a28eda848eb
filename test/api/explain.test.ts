import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { writesIn } from '../support/scimState.js';
import { type ApiHarness, startApiHarness } from './fixtures.js';

const VIEWER = 'viewer-token-explain-0123456789';
const OTHER_VIEWER = 'other-viewer-token-explain-0123';
const SCIM_TOKEN = 'scim-token-explain-api-5150';

let emulator: ScimEmulator;
let app: FastifyInstance;
let harness: ApiHarness | undefined;

beforeAll(async () => {
  emulator = await startScimEmulator({
    certificates: ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!),
    token: SCIM_TOKEN,
  });
  const config = parseConfig(
    `
api:
  listen: 127.0.0.1:0
  tokens:
    - { token: env:VIEWER_TOKEN, role: viewer, tenants: ["*"] }
    - { token: env:OTHER_VIEWER_TOKEN, role: viewer, tenants: [other] }
tenants:
  - id: engineering
    source:
      type: file
      path: ${join(process.cwd(), 'config', 'demo', 'directory.json')}
      filters: [{ attribute: department, op: eq, value: Engineering }]
    target: { url: "${emulator.url}", token: env:SCIM_TOKEN }
  - id: other
    source: { type: file, path: ${join(process.cwd(), 'config', 'demo', 'directory.json')} }
    target: { url: "${emulator.url}", token: env:SCIM_TOKEN }
`,
    process.cwd(),
    { env: { VIEWER_TOKEN: VIEWER, OTHER_VIEWER_TOKEN: OTHER_VIEWER, SCIM_TOKEN } },
  );
  harness = await startApiHarness(12, { config });
  app = harness.app;
});
afterAll(async () => {
  await harness?.close();
  await emulator?.close();
});

const get = (url: string, token = VIEWER) =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
const explain = (query: string, token = VIEWER) => get(`/v1/tenants/engineering/explain?${query}`, token);

describe('GET /v1/tenants/:tenant/explain', () => {
  it('answers a viewer what the next run would do, and neither writes to the platform nor records a run', async () => {
    emulator.server.resetCalls();
    const response = await explain('subject=ada%40example.com');
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json();
    expect(answer).toMatchObject({
      tenant: 'engineering',
      dryRun: true,
      subject: 'ada@example.com',
      kind: 'user',
    });
    expect(answer.steps.map((step: { step: string }) => step.step)).toEqual([
      'import',
      'scope',
      'mapping',
      'match',
      'action',
    ]);
    expect(answer.steps[2].details.attributes).toMatchObject({
      userName: 'ada@example.com',
      title: 'Engineer',
    });
    expect(answer.steps[4].details).toMatchObject({ action: 'createUser' });
    expect(emulator.server.calls.length).toBeGreaterThan(0);
    expect(writesIn(emulator.server.calls)).toBe(0);
    expect((await get('/v1/tenants/engineering/runs')).json()).toEqual({ runs: [] });
    expect((await get('/v1/tenants/engineering/events')).json()).toMatchObject({ events: [] });
  });

  it('names the filter that keeps a user out of scope', async () => {
    const answer = (await explain('subject=alan%40example.com')).json();
    expect(answer.status).toBe('skipped');
    expect(answer.steps.at(-1).details).toMatchObject({
      inScope: false,
      decidedBy: "filter department eq Engineering failed: department is 'Research'",
    });
  });

  it('explains a group when asked for one, and fails at import for a subject the source lacks', async () => {
    const unknown = (await explain('subject=nobody%40example.com')).json();
    expect(unknown).toMatchObject({ status: 'failure', steps: [{ step: 'import', status: 'failure' }] });
    const group = (await explain('subject=nothing-by-this-name&kind=group')).json();
    expect(group).toMatchObject({ kind: 'group', status: 'failure' });
  });

  it('refuses a token of another tenant, no token, and a missing, overlong or unknown parameter', async () => {
    expect((await explain('subject=ada%40example.com', OTHER_VIEWER)).statusCode).toBe(403);
    const anonymous = await app.inject({ method: 'GET', url: '/v1/tenants/engineering/explain?subject=ada' });
    expect(anonymous.statusCode).toBe(401);
    expect((await explain('')).statusCode).toBe(400);
    expect((await explain(`subject=${'u'.repeat(1025)}`)).statusCode).toBe(400);
    expect((await explain('subject=ada&kind=robot')).statusCode).toBe(400);
    expect((await explain('subject=ada&apply=1')).statusCode).toBe(400);
  });

  it('is in the OpenAPI document as a read', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    expect(document.paths['/v1/tenants/{tenant}/explain'].get).toBeDefined();
  });
});
