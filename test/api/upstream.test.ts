import { join } from 'node:path';
import { OktaApiError } from '@okta/okta-sdk-nodejs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphRequestError } from '../../connectors/graph/errors.js';
import { OktaTokenRequestError, oktaSourceError } from '../../connectors/okta/errors.js';
import { upstreamHttpError } from '../../src/api/httpErrors.js';
import { parseConfig } from '../../src/config/load.js';
import { UpstreamError } from '../../src/model/upstream.js';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { type ApiHarness, startApiHarness } from './fixtures.js';

const OPERATOR = 'operator-token-upstream-0123456789';
const WRONG_SCIM_TOKEN = 'not-the-platform-token-4242';

let emulator: ScimEmulator;
let app: FastifyInstance;
let harness: ApiHarness | undefined;

beforeAll(async () => {
  emulator = await startScimEmulator({
    certificates: ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!),
    token: 'the-platform-token',
  });
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
  harness = await startApiHarness(11, { config });
  app = harness.app;
});
afterAll(async () => {
  await harness?.close();
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

describe('a source that answered an error', () => {
  it('Graph and Okta failures answer as the source, with their own code', () => {
    const graph = upstreamHttpError(
      new GraphRequestError(
        'Graph GET /users failed: 403 Authorization_RequestDenied: no',
        403,
        'Authorization_RequestDenied',
      ),
    );
    expect(graph.status).toBe(502);
    expect(graph.details).toEqual({
      error: 'source',
      status: 403,
      code: 'Authorization_RequestDenied',
      detail: 'Graph GET /users failed: 403 Authorization_RequestDenied: no',
    });
    const okta = oktaSourceError(new OktaTokenRequestError(401, 'invalid_client', 'bad key'));
    expect(okta).toBeInstanceOf(UpstreamError);
    expect(upstreamHttpError(okta as UpstreamError).details).toMatchObject({
      error: 'source',
      status: 401,
      code: 'invalid_client',
    });
  });

  it('an Okta API refusal names the resource without its query', () => {
    const refusal = new OktaApiError(
      'https://acme.okta.com/api/v1/users?search=profile.login%20eq%20%22x%22',
      403,
      { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' },
      {} as ConstructorParameters<typeof OktaApiError>[3],
    );
    const mapped = oktaSourceError(refusal) as UpstreamError;
    expect(mapped).toMatchObject({ origin: 'source', status: 403, code: 'E0000006' });
    expect(mapped.message).toMatch(/^Okta GET \/api\/v1\/users failed: Okta HTTP 403 E0000006/);
    expect(mapped.message).not.toContain('search=');
  });

  it('keeps the detail bounded and passes errors of dirsync itself through untouched', () => {
    const long = upstreamHttpError(new UpstreamError('x'.repeat(5000), 'platform', 500));
    expect(String(long.details.detail).length).toBe(500);
    const bug = new TypeError('undefined is not a function');
    expect(oktaSourceError(bug)).toBe(bug);
  });
});
