import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateGraphDirectory } from '../emulators/graph/generator.js';
import { type GraphEmulator, startGraphEmulator } from '../emulators/graph/server.js';
import { generateOktaOrg, type OktaEmulator, startOktaEmulator } from '../emulators/okta/index.js';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { type ServiceProcess, startServiceProcess } from '../service/serviceProcess.js';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { type EmbeddedRedis, freePort, startEmbeddedRedis } from '../support/embeddedRedis.js';
import { httpRequest, type RawAnswer, type RequestParts, sendRaw } from './rawHttp.js';

/**
 * Hostile requests against the service as an operator runs it (the built CLI, `--role all`, behind
 * a trusted proxy address): for each, no 5xx, an answer under 64 kB and under a second, and no
 * secret in it; afterwards the service is healthy, its memory has not run away, and no secret is
 * in its log. Each case comes from a client address of its own (X-Forwarded-For), so that the
 * failed-authentication throttle is exercised by its own case and spares the others.
 */
const TOKENS = {
  operator: 'hostile-operator-token-5f1c2e9a7b',
  viewer: 'hostile-viewer-token-8d3b6a1c0e44',
  files: 'hostile-files-token-2a9e7c4b1d55',
};
const SCIM_TOKEN = 'hostile-scim-token-7c1e3d';
const OKTA_TOKEN = 'hostile-okta-ssws-4b8d0f';
const WRONG_OKTA_TOKEN = 'hostile-wrong-okta-9e2a6c';
const GRAPH_SECRET = 'hostile-graph-secret-3f7a1b';
const SECRETS = [...Object.values(TOKENS), SCIM_TOKEN, OKTA_TOKEN, WRONG_OKTA_TOKEN, GRAPH_SECRET];
const GRAPH_TENANT = '11111111-2222-3333-4444-555555555555';
const GRAPH_CLIENT = '66666666-7777-8888-9999-000000000000';

const MAX_ANSWER_BYTES = 64 * 1024;
const MAX_ANSWER_MS = 1000;
const MAX_RSS_GROWTH_MB = 100;

let redis: EmbeddedRedis;
let scim: ScimEmulator;
let okta: OktaEmulator;
let graph: GraphEmulator;
let directory: string;
let service: ServiceProcess;
let port: number;
let oktaLogin: string;
let runId: string;
let rssBefore: number;
const measured: { name: string; answer: RawAnswer }[] = [];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});
const json = { 'content-type': 'application/json' };
const operatorJson = { ...bearer(TOKENS.operator), ...json };
const sameOrigin = () => ({ origin: `http://127.0.0.1:${port}` });

function rssMegabytes(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(line) / 1024;
}

let addresses = 0;
/** Every request sent to the service, the warm-up and health checks included. */
let sent = 0;
async function send(
  parts: RequestParts,
  address = `10.66.${Math.floor(addresses / 250)}.${(addresses++ % 250) + 1}`,
) {
  sent++;
  return sendRaw(
    port,
    httpRequest(port, { ...parts, headers: { 'x-forwarded-for': address, ...parts.headers } }),
  );
}

beforeAll(async () => {
  const certificates = ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!);
  const org = generateOktaOrg({ users: 12, groups: 3, seed: 5 });
  oktaLogin = String(org.users[0]!.profile.login);
  [redis, scim, okta, graph] = await Promise.all([
    startEmbeddedRedis(),
    startScimEmulator({ certificates, token: SCIM_TOKEN }),
    startOktaEmulator({ certificates, token: OKTA_TOKEN, directory: org }),
    startGraphEmulator({
      certificates,
      tenantId: GRAPH_TENANT,
      clientId: GRAPH_CLIENT,
      clientSecret: GRAPH_SECRET,
      servicePrincipalId: 'sp-hostile',
      directory: generateGraphDirectory({
        users: 12,
        groups: 3,
        nestedDepth: 1,
        seed: 5,
        domain: 'hostile.example',
      }),
    }),
  ]);
  directory = mkdtempSync(join(tmpdir(), 'dirsync-hostile-'));
  port = await freePort();
  const configFile = join(directory, 'dirsync.yaml');
  writeFileSync(
    configFile,
    `redis: { url: "${redis.url}" }
api:
  listen: 127.0.0.1:${port}
  trustProxy: ["127.0.0.1"]
  tokens:
    - { label: ops, token: env:H_OPERATOR, role: operator, tenants: ["*"] }
    - { label: desk, token: env:H_VIEWER, role: viewer, tenants: ["*"] }
    - { label: files-ops, token: env:H_FILES, role: operator, tenants: [files] }
tenants:
  - id: okta
    source: { type: okta, orgUrl: "${okta.url}", token: env:H_OKTA }
    target: { url: "${scim.url}", token: env:H_SCIM }
  - id: locked
    source: { type: okta, orgUrl: "${okta.url}", token: env:H_WRONG_OKTA }
    target: { url: "${scim.url}", token: env:H_SCIM }
  - id: graph
    source:
      type: graph
      tenantId: ${GRAPH_TENANT}
      clientId: ${GRAPH_CLIENT}
      clientSecret: env:H_GRAPH
      graphBaseUrl: ${graph.graphBaseUrl}
      authorityHost: ${graph.authorityHost}
    target: { url: "${scim.url}", token: env:H_SCIM }
  - id: files
    source: { type: file, path: ${join(process.cwd(), 'config', 'demo', 'directory.json')} }
    target: { url: "${scim.url}", token: env:H_SCIM }
`,
  );
  service = startServiceProcess('hostile-api', ['start', '--role', 'all', '--config', configFile], {
    DIRSYNC_LOG_LEVEL: 'debug',
    H_OPERATOR: TOKENS.operator,
    H_VIEWER: TOKENS.viewer,
    H_FILES: TOKENS.files,
    H_SCIM: SCIM_TOKEN,
    H_OKTA: OKTA_TOKEN,
    H_WRONG_OKTA: WRONG_OKTA_TOKEN,
    H_GRAPH: GRAPH_SECRET,
  });
  await service.waitFor(/api role started/);
  // A dry run gives the id cases a run that exists; a few requests warm the process up (the
  // first Okta lookup loads the Okta SDK, which takes seconds on a busy machine).
  const run = await send({
    method: 'POST',
    path: '/v1/tenants/files/runs',
    headers: operatorJson,
    body: '{"dryRun":true}',
  });
  runId = JSON.parse(run.text.slice(run.text.indexOf('\r\n\r\n') + 4)).runId;
  for (const path of ['/v1/tenants', '/metrics', '/admin/queues', '/v1/tenants/files/events']) {
    await send({ path, headers: bearer(TOKENS.operator) });
  }
  await send({
    method: 'POST',
    path: '/v1/tenants/okta/provision',
    headers: operatorJson,
    body: '{"users":["nobody@example.com"]}',
  });
  await send({
    method: 'POST',
    path: '/v1/tenants/graph/provision',
    headers: operatorJson,
    body: '{"users":["nobody@example.com"]}',
  });
  rssBefore = rssMegabytes(service.pid);
}, 90_000);

afterAll(async () => {
  await service?.stop();
  await Promise.all([redis?.stop(), scim?.close(), okta?.close(), graph?.close()]);
  if (directory) rmSync(directory, { recursive: true, force: true });
});

interface HostileCase {
  readonly name: string;
  readonly request: () => RequestParts;
  /** The status the answer must have, when one is right; any status under 500 otherwise. */
  readonly status?: number | readonly number[];
  /** What the answer must say, when that matters. */
  readonly body?: RegExp;
}

const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const get =
  (path: string, headers: Record<string, string> = bearer(TOKENS.operator)) =>
  () => ({ path, headers });
const post =
  (path: string, body: string | Buffer, headers: Record<string, string> = operatorJson) =>
  () => ({ method: 'POST', path, headers, body });

const CASES: readonly HostileCase[] = [
  // Authentication
  { name: 'no credentials', request: get('/v1/tenants', {}), status: 401 },
  { name: 'a wrong bearer token', request: get('/v1/tenants', bearer('x'.repeat(40))), status: 401 },
  { name: 'an empty bearer token', request: get('/v1/tenants', { authorization: 'Bearer ' }), status: 401 },
  {
    name: 'bearer token followed by junk',
    request: get('/v1/tenants', { authorization: `Bearer ${TOKENS.operator} junk` }),
    status: 401,
  },
  { name: 'Basic with an empty password', request: get('/v1/tenants', basic('x', '')), status: 401 },
  {
    name: 'Basic without a colon',
    request: get('/v1/tenants', {
      authorization: `Basic ${Buffer.from(TOKENS.operator).toString('base64')}`,
    }),
    status: 401,
  },
  {
    name: 'Basic that is not base64',
    request: get('/v1/tenants', { authorization: 'Basic !!!###' }),
    status: 401,
  },
  {
    name: 'an unknown scheme',
    request: get('/v1/tenants', { authorization: `Token ${TOKENS.operator}` }),
    status: 401,
  },
  {
    name: 'a lower-case scheme',
    request: get('/v1/tenants', { authorization: `bearer ${TOKENS.operator}` }),
    status: 200,
  },
  {
    name: 'a unicode token',
    request: get('/v1/tenants', { authorization: 'Bearer ключ-доступа-🔑-0123456789' }),
    status: 401,
  },
  { name: 'a 12 kB token', request: get('/v1/tenants', bearer('t'.repeat(12_000))), status: 401 },
  {
    name: 'a viewer on a write route',
    request: post('/v1/tenants/files/runs', '{}', { ...bearer(TOKENS.viewer), ...json }),
    status: 403,
  },
  {
    name: 'a scoped token on another tenant',
    request: get('/v1/tenants/okta', bearer(TOKENS.files)),
    status: 403,
  },
  { name: 'a scoped token on metrics', request: get('/metrics', bearer(TOKENS.files)), status: 403 },
  { name: 'a viewer reading the audit log', request: get('/v1/audit', bearer(TOKENS.viewer)), status: 403 },
  {
    name: 'a session cookie outside the dashboard',
    request: get('/v1/tenants', { cookie: 'dirsync_session=abc' }),
    status: 401,
  },

  // Bodies and content types
  { name: 'truncated JSON', request: post('/v1/tenants/files/runs', '{"mode":'), status: 400 },
  { name: 'JSON null', request: post('/v1/tenants/files/runs', 'null'), status: 202 },
  { name: 'a JSON array', request: post('/v1/tenants/files/runs', '[]'), status: 400 },
  { name: 'a JSON string', request: post('/v1/tenants/files/runs', '"full"'), status: 400 },
  {
    name: 'text/plain',
    request: post('/v1/tenants/files/runs', 'mode=full', {
      ...bearer(TOKENS.operator),
      'content-type': 'text/plain',
    }),
    status: 400,
  },
  {
    name: 'a form on an API route',
    request: post('/v1/tenants/files/runs', 'mode=full', {
      ...bearer(TOKENS.operator),
      'content-type': 'application/x-www-form-urlencoded',
    }),
    status: 415,
  },
  {
    name: 'multipart',
    request: post('/v1/tenants/files/runs', '--b\r\n\r\n--b--', {
      ...bearer(TOKENS.operator),
      'content-type': 'multipart/form-data; boundary=b',
    }),
    status: 415,
  },
  {
    name: 'a content type with a huge parameter',
    request: post('/v1/tenants/files/runs', '{}', {
      ...bearer(TOKENS.operator),
      'content-type': `application/json; x=${'a'.repeat(8000)}`,
    }),
  },
  {
    name: '__proto__ in the body',
    request: post('/v1/tenants/files/runs', '{"__proto__":{"admin":true}}'),
    status: 400,
  },
  {
    name: 'constructor.prototype in the body',
    request: post('/v1/tenants/files/runs', '{"constructor":{"prototype":{"x":1}}}'),
    status: 400,
  },
  { name: 'JSON nested 5,000 deep', request: post('/v1/tenants/files/runs', deep(5000)), status: 400 },
  {
    name: 'a body over 1 MB',
    request: post('/v1/tenants/files/runs', `{"mode":"${'f'.repeat(1_100_000)}"}`),
    status: 413,
  },
  {
    name: 'a gzip body',
    request: post('/v1/tenants/files/runs', Buffer.from([0x1f, 0x8b, 8, 0]), {
      ...operatorJson,
      'content-encoding': 'gzip',
    }),
    status: [400, 415],
  },
  {
    name: 'a chunked body',
    request: () => ({
      method: 'POST',
      path: '/v1/tenants/files/runs',
      headers: { ...operatorJson, 'transfer-encoding': 'chunked' },
      body: '2\r\n{}\r\n0\r\n\r\n',
      noLength: true,
    }),
    status: 202,
  },
  {
    name: 'a broken chunked body',
    request: () => ({
      method: 'POST',
      path: '/v1/tenants/files/runs',
      headers: { ...operatorJson, 'transfer-encoding': 'chunked' },
      body: 'zz\r\n{}\r\n',
      noLength: true,
    }),
    status: 400,
  },
  {
    name: 'Content-Length and Transfer-Encoding together',
    request: () => ({
      method: 'POST',
      path: '/v1/tenants/files/runs',
      headers: { ...operatorJson, 'transfer-encoding': 'chunked' },
      body: '2\r\n{}\r\n0\r\n\r\n',
    }),
    status: 400,
  },
  {
    name: 'two Content-Lengths',
    request: () => ({
      method: 'POST',
      path: '/v1/tenants/files/runs',
      headers: operatorJson,
      rawHeaderLines: ['content-length: 2', 'content-length: 3'],
      body: '{}',
      noLength: true,
    }),
    status: 400,
  },
  {
    name: 'twenty thousand unknown fields',
    request: post(
      '/v1/tenants/files/runs',
      JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`f${i}`, i]))),
    ),
    status: 400,
  },
  {
    name: 'a wrong type for dryRun',
    request: post('/v1/tenants/files/runs', '{"dryRun":"yes"}'),
    status: 400,
  },
  {
    name: 'a dry run',
    request: post('/v1/tenants/files/runs', '{"mode":"full","dryRun":true}'),
    status: 202,
  },

  // Provision on demand
  {
    name: '500,000 zeros as users',
    request: post('/v1/tenants/files/provision', `{"users":[${new Array(500_000).fill('0').join(',')}]}`),
    status: 400,
  },
  {
    name: '500,000 empty strings as groups',
    request: post('/v1/tenants/files/provision', `{"groups":[${new Array(200_000).fill('""').join(',')}]}`),
    status: 400,
  },
  {
    name: '51 subjects',
    request: post(
      '/v1/tenants/files/provision',
      JSON.stringify({ users: Array.from({ length: 51 }, (_, i) => `u${i}`) }),
    ),
    status: 400,
  },
  {
    name: 'a subject of 1,025 characters',
    request: post('/v1/tenants/files/provision', JSON.stringify({ users: ['u'.repeat(1025)] })),
    status: 400,
  },
  {
    name: 'users as a string',
    request: post('/v1/tenants/files/provision', '{"users":"alice"}'),
    status: 400,
  },
  { name: 'a null subject', request: post('/v1/tenants/files/provision', '{"users":[null]}'), status: 400 },
  { name: 'no subject', request: post('/v1/tenants/files/provision', '{}'), status: 400 },
  {
    name: 'an Okta subject of 1,000 characters',
    request: post('/v1/tenants/okta/provision', JSON.stringify({ users: ['a'.repeat(1000)] })),
    status: 200,
    body: /"step":"import","status":"failure","details":\{"reason":"the source could not look/,
  },
  {
    name: 'twenty Okta subjects of 1,024 characters',
    request: post(
      '/v1/tenants/okta/provision',
      JSON.stringify({
        users: Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(1024, 'b')),
        groups: Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(1024, 'g')),
      }),
    ),
    status: 200,
  },
  {
    name: 'an Okta search expression injected in a subject',
    request: post('/v1/tenants/okta/provision', JSON.stringify({ users: ['x" or profile.login sw "'] })),
    status: 200,
  },
  {
    name: 'unicode and control characters in an Okta subject',
    request: post(
      '/v1/tenants/okta/provision',
      JSON.stringify({ users: ['ユーザー\u0000\u202e@例え.jp'], groups: ['\u0007\ud83d\ude00'] }),
    ),
    status: 200,
  },
  {
    name: 'an Okta user that exists',
    request: () => post('/v1/tenants/okta/provision', JSON.stringify({ users: [oktaLogin] }))(),
    status: 200,
  },
  {
    name: 'provision where the source refuses the credentials',
    request: post('/v1/tenants/locked/provision', JSON.stringify({ users: ['someone@example.com'] })),
    status: 200,
    body: /"step":"import","status":"failure","details":\{"reason":"the source could not look .{1,90} up: Okta .{0,60}HTTP 401/,
  },
  {
    name: 'a Graph subject of 1,024 characters',
    request: post(
      '/v1/tenants/graph/provision',
      JSON.stringify({ users: ['a'.repeat(1024)], groups: ['g'.repeat(1024)] }),
    ),
    status: 200,
  },
  {
    name: 'an OData expression injected in a Graph subject',
    request: post(
      '/v1/tenants/graph/provision',
      JSON.stringify({ users: ["x' or startswith(userPrincipalName,'a"], groups: ["') or true or ('"] }),
    ),
    status: 200,
  },
  {
    name: 'unicode and control characters in a Graph subject',
    request: post(
      '/v1/tenants/graph/provision',
      JSON.stringify({ users: ['ユーザー\u0000\u202e@例え.jp', '%00/../$metadata'] }),
    ),
    status: 200,
  },
  {
    name: 'an Okta search expression injected in a suggestion text',
    request: get(`/v1/tenants/okta/suggestions?text=${encodeURIComponent('x" or profile.login sw "')}`),
    status: 200,
    body: /\r\n\r\n\{"suggestions":\[\]\}$/,
  },
  {
    name: 'an OData expression injected in a Graph suggestion text',
    request: get(
      `/v1/tenants/graph/suggestions?kind=group&text=${encodeURIComponent("') or startswith(displayName,'")}`,
    ),
    status: 200,
    body: /\r\n\r\n\{"suggestions":\[\]\}$/,
  },
  {
    name: 'unicode and control characters in a suggestion text',
    request: get(`/v1/tenants/graph/suggestions?text=${encodeURIComponent('ユー\u0000\u202e%00')}`),
    status: 200,
  },
  {
    name: 'a suggestion text of 257 characters',
    request: get(`/v1/tenants/okta/suggestions?text=${'a'.repeat(257)}`),
    status: 400,
  },
  {
    name: 'suggestions past the limit of 20',
    request: get('/v1/tenants/files/suggestions?text=ad&limit=1000000'),
    status: 400,
  },
  {
    name: 'provision on an unknown tenant',
    request: post('/v1/tenants/nowhere/provision', '{"users":["a"]}'),
    status: 404,
  },

  // Ids and cursors
  {
    name: 'a run id addressing its counts key',
    request: () => get(`/v1/tenants/files/runs/${runId}:counts`)(),
    status: 404,
  },
  {
    name: 'a run id addressing its plan key on approve',
    request: () => post(`/v1/tenants/files/runs/${runId}:plan/approve`, '{}')(),
    status: 404,
  },
  {
    name: 'an encoded path in a run id',
    request: get('/v1/tenants/files/runs/..%2F..%2Fcursor'),
    status: 404,
  },
  { name: 'a NUL in a run id', request: get('/v1/tenants/files/runs/%00'), status: 404 },
  { name: 'an overlong run id', request: get(`/v1/tenants/files/runs/${'r'.repeat(5000)}`), status: 414 },
  {
    name: 'a run that does not exist',
    request: get('/v1/tenants/files/runs/zzzzzzzz-00000000'),
    status: 404,
  },
  { name: 'a run of another tenant', request: () => get(`/v1/tenants/okta/runs/${runId}`)(), status: 404 },
  {
    name: 'an event cursor past 64 bits',
    request: get('/v1/tenants/files/events?after=99999999999999999999-1'),
    status: 400,
  },
  { name: 'a negative event cursor', request: get('/v1/tenants/files/events?after=-1'), status: 400 },
  {
    name: 'an event cursor of Redis specials',
    request: get('/v1/tenants/files/events?after=%2B'),
    status: 400,
  },
  { name: 'a valid event cursor', request: get('/v1/tenants/files/events?after=1-1'), status: 200 },
  { name: 'a limit that is not a number', request: get('/v1/tenants/files/events?limit=abc'), status: 400 },
  { name: 'a limit of a billion', request: get('/v1/tenants/files/events?limit=1000000000'), status: 400 },
  { name: 'a limit given twice', request: get('/v1/tenants/files/events?limit=1&limit=2'), status: 400 },
  {
    name: 'a subject filter of 5,000 characters',
    request: get(`/v1/tenants/files/events?subject=${'s'.repeat(5000)}`),
    status: 400,
  },
  { name: 'a run id filter with a colon', request: get('/v1/tenants/files/events?runId=a:b'), status: 400 },
  { name: 'an unknown query parameter', request: get('/v1/tenants/files/events?sort=desc'), status: 400 },
  { name: 'a negative runs limit', request: get('/v1/tenants/files/runs?limit=-1'), status: 400 },
  {
    name: 'a query of 5,000 parameters',
    request: get(`/v1/tenants/files/runs?${Array.from({ length: 5000 }, (_, i) => `p${i}=1`).join('&')}`),
    status: [400, 414, 431],
  },
  { name: 'an audit cursor that is not one', request: get('/v1/audit?after=yesterday'), status: 400 },
  { name: 'an audit limit too large', request: get('/v1/audit?limit=5000'), status: 400 },
  { name: 'the audit log', request: get('/v1/audit?limit=1000'), status: 200 },

  // Paths
  { name: 'dot segments', request: get('/v1/tenants/../tenants') },
  { name: 'a doubled slash', request: get('/v1//tenants'), status: 404 },
  { name: 'an encoded dot-dot tenant', request: get('/v1/tenants/%2e%2e'), status: 404 },
  { name: 'upper case', request: get('/V1/TENANTS'), status: 404 },
  { name: 'a NUL in a tenant', request: get('/v1/tenants/files%00'), status: 404 },
  { name: 'a semicolon in a tenant', request: get('/v1/tenants/files;x=1'), status: 404 },
  { name: 'a bad percent escape', request: get('/v1/tenants/%ZZ'), status: 400 },
  { name: 'an overlong tenant', request: get(`/v1/tenants/${'t'.repeat(3000)}`), status: 414 },
  {
    name: 'dot segments out of the dashboard assets',
    request: get('/admin/queues/static/../../../../etc/passwd'),
  },
  {
    name: 'encoded dot segments out of the dashboard assets',
    request: get('/admin/queues/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd'),
  },
  { name: 'the asterisk form', request: get('*'), status: [400, 404] },
  { name: 'an absolute-form URL', request: get('http://evil.example/v1/tenants'), status: [200, 400, 404] },
  { name: 'a URL of 15 kB', request: get(`/v1/tenants?${'q'.repeat(15_000)}`), status: [200, 400, 414, 431] },

  // Headers
  {
    name: 'a header of 20 kB',
    request: get('/v1/tenants', { ...bearer(TOKENS.operator), 'x-pad': 'p'.repeat(20_000) }),
    status: 431,
  },
  {
    name: '300 headers',
    request: () => ({
      path: '/v1/tenants',
      headers: bearer(TOKENS.operator),
      rawHeaderLines: Array.from({ length: 300 }, (_, i) => `x-h${i}: ${i}`),
    }),
  },
  {
    name: 'CR/LF smuggled into a header value',
    request: () => ({
      path: '/v1/tenants',
      headers: bearer(TOKENS.operator),
      rawHeaderLines: ['x-a: b\rSet-Cookie: evil=1'],
    }),
    status: 400,
  },
  {
    name: 'a header line without a colon',
    request: () => ({ path: '/v1/tenants', rawHeaderLines: ['nonsense'] }),
    status: 400,
  },
  {
    name: 'a CR/LF escape in a query value',
    request: get('/admin/login?token=%0d%0aSet-Cookie:%20evil=1', {}),
    status: 401,
  },
  {
    name: 'a unicode header value',
    request: get('/v1/tenants', { ...bearer(TOKENS.operator), 'x-name': 'Zoë 🚀 naïve' }),
    status: 200,
  },
  {
    name: 'a forged X-Forwarded-For chain',
    request: get('/v1/tenants', {
      ...bearer(TOKENS.operator),
      'x-forwarded-for': '1.1.1.1, 2.2.2.2, not-an-ip',
    }),
    status: 200,
  },
  { name: 'no Host header', request: () => ({ path: '/healthz', headers: { host: '' } }), status: 400 },
  {
    name: 'HTTP/1.0 without Host',
    request: () => ({ path: '/healthz', headers: { host: '' }, version: 'HTTP/1.0' }),
    status: 200,
  },
  {
    name: 'an HTTP version that does not exist',
    request: () => ({ path: '/healthz', version: 'HTTP/9.9' }),
    status: [400, 505],
  },
  {
    name: 'a huge session cookie',
    request: get('/admin/queues', { cookie: `dirsync_session=${'c'.repeat(8000)}` }),
    status: 401,
  },
  {
    name: 'many session cookies',
    request: get('/admin/queues', {
      cookie: Array.from({ length: 200 }, (_, i) => `dirsync_session=${i}`).join('; '),
    }),
    status: 401,
  },

  // Dashboard
  { name: 'the dashboard without credentials', request: get('/admin/queues', {}), status: 401 },
  { name: 'sign-in with a wrong token', request: get('/admin/login?token=wrong', {}), status: 401 },
  { name: 'sign-in with the token twice', request: get(`/admin/login?token=a&token=b`, {}) },
  {
    name: 'sign-in with a JSON number',
    request: post('/admin/login', '{"token":123}', { ...json, ...{} }),
    status: [400, 403],
  },
  {
    name: 'sign-in from another origin',
    request: () =>
      post('/admin/login', `token=${TOKENS.operator}`, {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://evil.example',
      })(),
    status: 403,
  },
  {
    name: 'sign-in with a 5,000-character token',
    request: () =>
      post('/admin/login', `token=${'k'.repeat(5000)}`, {
        'content-type': 'application/x-www-form-urlencoded',
        ...sameOrigin(),
      })(),
    status: 400,
  },
  {
    name: 'a right sign-in',
    request: () =>
      post('/admin/login', `token=${TOKENS.operator}`, {
        'content-type': 'application/x-www-form-urlencoded',
        ...sameOrigin(),
      })(),
    status: 303,
  },
  { name: 'sign-out without an origin', request: post('/admin/logout', '', {}), status: 403 },
  {
    name: 'sign-out with all=2',
    request: () => post('/admin/logout?all=2', '', sameOrigin())(),
    status: 400,
  },
  { name: 'sign-out by GET', request: get('/admin/logout', {}), status: 404 },
  {
    name: 'a viewer pausing a queue',
    request: () => ({
      method: 'PUT',
      path: '/admin/queues/api/queues/dirsync-reconcile/pause',
      headers: bearer(TOKENS.viewer),
    }),
    status: 403,
  },
  {
    name: 'a forged cross-site job',
    request: post('/admin/queues/api/queues/dirsync-reconcile/add', '{"name":"x","data":{}}', {
      ...basic('x', TOKENS.operator),
      ...json,
      origin: 'http://127.0.0.1:1',
    }),
    status: 403,
  },
  {
    name: 'odd dashboard list parameters',
    request: get('/admin/queues/api/queues?activeQueue=%00&status=nonsense&page=-5&jobsPerPage=1e9'),
  },
  {
    name: 'a dashboard job of a queue that does not exist',
    request: get('/admin/queues/api/queues/nowhere/1'),
    status: [400, 404],
  },
  {
    name: 'a dashboard job id with a NUL',
    request: get('/admin/queues/api/queues/dirsync-reconcile/%00'),
    status: [400, 404],
  },
  { name: 'the dashboard Redis stats', request: get('/admin/queues/api/redis/stats'), status: 200 },

  // Everything else
  { name: 'metrics', request: get('/metrics'), status: 200 },
  { name: 'the docs', request: get('/docs', {}), status: 200 },
  { name: 'the OpenAPI document', request: get('/docs/openapi.json', {}), status: 200 },
  { name: 'readiness', request: get('/readyz', {}), status: 200 },
  { name: 'HEAD on liveness', request: () => ({ method: 'HEAD', path: '/healthz' }), status: 200 },
  { name: 'OPTIONS', request: () => ({ method: 'OPTIONS', path: '/v1/tenants' }), status: 404 },
  { name: 'TRACE', request: () => ({ method: 'TRACE', path: '/v1/tenants' }), status: [404, 405] },
  {
    name: 'DELETE a tenant',
    request: () => ({ method: 'DELETE', path: '/v1/tenants/files', headers: bearer(TOKENS.operator) }),
    status: 404,
  },
  {
    name: 'an unknown method',
    request: () => ({ method: 'BREW', path: '/v1/tenants' }),
    status: [400, 404, 405],
  },
  {
    name: 'test-connection where the source refuses the credentials',
    request: post('/v1/tenants/locked/test-connection', '{}'),
    status: 200,
  },
  {
    name: 'a viewer resetting a tenant',
    request: post('/v1/tenants/files/reset', '{}', { ...bearer(TOKENS.viewer), ...json }),
    status: 403,
  },
  { name: 'a tenant read', request: get('/v1/tenants/locked'), status: 200 },
  // Console
  { name: 'the console without credentials', request: get('/console', {}), status: 303 },
  { name: 'the console with a bearer token', request: get('/console'), status: 200 },
  {
    name: 'console sign-in from another origin',
    request: post('/console/login', `token=${TOKENS.operator}`, {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'http://evil.example',
    }),
    status: 403,
  },
  {
    name: 'console sign-in with a 5,000-character token',
    request: () =>
      post('/console/login', `token=${'k'.repeat(5000)}`, {
        'content-type': 'application/x-www-form-urlencoded',
        ...sameOrigin(),
      })(),
    status: 400,
  },
  {
    name: 'a console page of a tenant the token does not cover',
    request: get('/console/tenants/okta', bearer(TOKENS.files)),
    status: 403,
  },
  {
    name: 'a console run page with markup for a run id',
    request: get('/console/tenants/files/runs/%3Cscript%3Ealert(1)%3C%2Fscript%3E'),
    status: 404,
    body: /^(?![\s\S]*<script>alert)/,
  },
  {
    name: 'a viewer approving a run in the console',
    request: () =>
      post(`/console/tenants/files/runs/${runId}/approve`, 'csrf=x', {
        ...bearer(TOKENS.viewer),
        'content-type': 'application/x-www-form-urlencoded',
      })(),
    status: 403,
  },
  {
    name: 'a console approval by bearer token, without a console sign-in',
    request: () =>
      post(`/console/tenants/files/runs/${runId}/approve`, '', {
        ...bearer(TOKENS.operator),
        'content-type': 'application/x-www-form-urlencoded',
      })(),
    status: 403,
  },
];

describe(`${CASES.length} hostile requests against the service process`, () => {
  it.each(CASES.map((hostile) => [hostile.name, hostile] as const))('%s', async (_name, hostile) => {
    const answer = await send(hostile.request());
    measured.push({ name: hostile.name, answer });
    expect(answer.status, answer.text.slice(0, 500)).toBeGreaterThan(0);
    expect(answer.status, answer.text.slice(0, 500)).toBeLessThan(500);
    if (hostile.status !== undefined) {
      expect([hostile.status].flat(), answer.text.slice(0, 500)).toContain(answer.status);
    }
    if (hostile.body) expect(answer.text).toMatch(hostile.body);
    expect(answer.bytes).toBeLessThan(MAX_ANSWER_BYTES);
    expect(answer.ms).toBeLessThan(MAX_ANSWER_MS);
    for (const secret of SECRETS) expect(answer.text).not.toContain(secret);
  });

  it('throttles one address after 20 wrong tokens, the right token included, with Retry-After', async () => {
    const statuses: number[] = [];
    let last: RawAnswer | undefined;
    for (let attempt = 0; attempt < 22; attempt++) {
      last = await send(
        { path: '/v1/tenants', headers: bearer(`guess-${attempt}-${'g'.repeat(30)}`) },
        '10.99.0.1',
      );
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    expect(last!.text).toMatch(/\r\nretry-after: \d+\r\n/i);
    expect((await send({ path: '/v1/tenants', headers: bearer(TOKENS.operator) }, '10.99.0.1')).status).toBe(
      429,
    );
  });

  it('is healthy afterwards, its memory has not run away, and its log holds no secret', async () => {
    expect((await send({ path: '/healthz' })).status).toBe(200);
    expect((await send({ path: '/readyz' })).status).toBe(200);
    expect((await send({ path: '/v1/tenants', headers: bearer(TOKENS.operator) })).status).toBe(200);
    const growth = rssMegabytes(service.pid) - rssBefore;
    expect(growth).toBeLessThan(MAX_RSS_GROWTH_MB);
    const output = service.output();
    console.log(
      output
        .split('\n')
        .filter((l) => l.includes('"level":50'))
        .join('\n'),
    );
    expect(output).toMatch(/api request refused/);
    for (const secret of SECRETS) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/"level":50[^\n]*api request failed/);

    const largest = measured.reduce((worst, entry) =>
      entry.answer.bytes > worst.answer.bytes ? entry : worst,
    );
    const slowest = measured.reduce((worst, entry) => (entry.answer.ms > worst.answer.ms ? entry : worst));
    console.info(
      `requests: ${sent} (${measured.length} hostile cases); largest answer ${largest.answer.bytes} B (${largest.name}); ` +
        `slowest ${Math.round(slowest.answer.ms)} ms (${slowest.name}); RSS growth ${growth.toFixed(1)} MB`,
    );
  });
});
