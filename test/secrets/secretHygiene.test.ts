import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/model/run.js';
import { CLIENT_ID, startTestEmulator, TENANT_ID, testCertificates } from '../connectors/graph/support.js';
import { generateGraphDirectory } from '../emulators/graph/generator.js';
import type { GraphEmulator } from '../emulators/graph/server.js';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { type ServiceProcess, startServiceProcess } from '../service/serviceProcess.js';
import { runCli } from '../support/cli.js';
import { type EmbeddedRedis, freePort, startEmbeddedRedis } from '../support/embeddedRedis.js';
import { until } from '../support/until.js';
import { dumpRedis } from './redisDump.js';

/**
 * Full syncs with known, distinctive credentials — one tenant that works (with an op the platform
 * refuses), one whose platform token is wrong, one whose Graph secret is wrong — through the
 * service and the CLI at debug level. Afterwards no credential appears in anything an operator,
 * a log shipper or a Redis reader could see.
 */
const SECRETS = {
  graphSecret: 'graph-secret-Qz7hyg1ene4242',
  platformToken: 'scim-token-Xv9hyg1ene5151',
  adminToken: 'admin-token-Kp3hyg1ene6363',
  viewerToken: 'viewer-token-Wd8hyg1ene7474',
  wrongPlatformToken: 'wrong-scim-token-Lm2hyg1ene8585',
  wrongGraphSecret: 'wrong-graph-secret-Rt5hyg1ene9696',
} as const;

const SERVICE_PRINCIPAL_ID = 'sp-secret-hygiene';
const TENANTS = ['good', 'badtarget', 'badsource'] as const;

/** Every text anyone could read, with where it came from. */
const seen: { where: string; text: string }[] = [];
function saw(where: string, text: string): void {
  seen.push({ where, text });
}

let redis: EmbeddedRedis;
let connection: Redis;
let graph: GraphEmulator;
let platform: ScimEmulator;
let service: ServiceProcess;
let directory: string;
let configFile: string;
let api: string;

const ENV = {
  HYGIENE_GRAPH_SECRET: SECRETS.graphSecret,
  HYGIENE_WRONG_GRAPH_SECRET: SECRETS.wrongGraphSecret,
  HYGIENE_WRONG_SCIM_TOKEN: SECRETS.wrongPlatformToken,
  HYGIENE_ADMIN_TOKEN: SECRETS.adminToken,
  DIRSYNC_LOG_LEVEL: 'debug',
};

async function cli(...args: string[]): Promise<number | null> {
  const result = await runCli(['--config', configFile, ...args], ENV, 120_000);
  saw(`dirsync ${args.join(' ')} (stdout)`, result.stdout);
  saw(`dirsync ${args.join(' ')} (stderr)`, result.stderr);
  return result.code;
}

/** Every route answers well within this, provisioning of one user included (README, "On demand": well under a second). */
const ANSWER_TIMEOUT_MS = 30_000;

async function call(method: string, path: string, token: string | undefined, body?: unknown) {
  const response = await fetch(`${api}${path}`, {
    method,
    redirect: 'manual',
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  }).catch((error: unknown) => {
    throw new Error(`${method} ${path} did not answer within ${ANSWER_TIMEOUT_MS} ms (${String(error)})`);
  });
  const text = await response.text();
  saw(`${method} ${path} → ${response.status}`, `${JSON.stringify([...response.headers])}\n${text}`);
  return { status: response.status, text, headers: response.headers };
}

beforeAll(async () => {
  const certificates = testCertificates();
  const generated = generateGraphDirectory({ users: 30, groups: 4, nestedDepth: 1, seed: 6 });
  [redis, graph, platform] = await Promise.all([
    startEmbeddedRedis(),
    startTestEmulator({
      clientSecret: SECRETS.graphSecret,
      directory: generated,
      servicePrincipalId: SERVICE_PRINCIPAL_ID,
    }),
    startScimEmulator({ certificates, token: SECRETS.platformToken }),
  ]);
  connection = new Redis(redis.url);
  // A user the platform already has under another tenant's externalId: that op fails for good.
  const taken = generated.users.find((user) => user.accountEnabled !== false)!;
  platform.store.seedUser({ userName: taken.userPrincipalName, externalId: 'another-tenant-user' });

  directory = mkdtempSync(join(tmpdir(), 'dirsync-secrets-'));
  writeFileSync(join(directory, 'scim-token'), `${SECRETS.platformToken}\n`);
  writeFileSync(join(directory, 'viewer-token'), SECRETS.viewerToken);
  configFile = join(directory, 'dirsync.yaml');
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  const source = (secret: string) =>
    `{ type: graph, tenantId: ${TENANT_ID}, clientId: ${CLIENT_ID}, clientSecret: "${secret}", scope: { mode: all }, graphBaseUrl: "${graph.graphBaseUrl}", authorityHost: "${graph.authorityHost}" }`;
  const target = (token: string) =>
    `{ url: "${platform.url}", token: "${token}", maxRequestsPerSecond: 1000 }`;
  writeFileSync(
    configFile,
    `redis: { url: "${redis.url}" }
api:
  listen: 127.0.0.1:${port}
  tokens:
    - { token: env:HYGIENE_ADMIN_TOKEN, role: operator }
    - { token: "file:./viewer-token", role: viewer }
tenants:
  - id: good
    source: ${source('env:HYGIENE_GRAPH_SECRET')}
    target: ${target('file:./scim-token')}
  - id: badtarget
    source: ${source('env:HYGIENE_GRAPH_SECRET')}
    target: ${target('env:HYGIENE_WRONG_SCIM_TOKEN')}
  - id: badsource
    source: ${source('env:HYGIENE_WRONG_GRAPH_SECRET')}
    target: ${target('file:./scim-token')}
`,
  );
  service = startServiceProcess('service', ['start', '--role', 'all', '--config', configFile], ENV);
  await service.waitFor(/dirsync started/, 60_000);
}, 90_000);

afterAll(async () => {
  service?.kill();
  connection?.disconnect();
  await Promise.all([redis?.stop(), graph?.close(), platform?.close()]);
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('secret hygiene across full syncs, failures and 401s', () => {
  it('syncs through the service and the CLI, with the failures the credentials cause', async () => {
    expect(await cli('check-config')).toBe(0);
    expect(await cli('check-config', '--json')).toBe(0);
    const connections = await Promise.all(TENANTS.map((tenant) => cli('test-connection', tenant, '--json')));
    expect(connections).toEqual([0, 1, 1]);

    // Through Redis to the service's workers, followed to the end.
    const synced = await Promise.all(TENANTS.map((tenant) => cli('sync', tenant, '--full', '--wait')));
    expect(synced).toEqual([1, 1, 1]);
    // In this process, with its own workers; then a dry run and on-demand provisioning.
    expect(await cli('sync', 'badtarget', '--full', '--inline')).toBe(1);
    expect(await cli('plan', 'good', '--full')).toBe(0);
    const someone = platform.store.users().find((user) => user.externalId !== 'another-tenant-user');
    expect(await cli('provision', 'good', '--user', String(someone?.userName), '--inline')).toBe(0);

    const runs = await connection.zrange('dirsync:{good}:runs', '0', '-1');
    expect(await cli('runs', 'good', '--json')).toBe(0);
    expect(await cli('run', 'good', runs[0]!)).toBe(0);
    const records = await Promise.all(
      TENANTS.map(async (tenant) =>
        JSON.parse((await call('GET', `/v1/tenants/${tenant}/runs`, SECRETS.adminToken)).text),
      ),
    );
    const [good, badtarget, badsource] = records.map((answer) => (answer as { runs: RunRecord[] }).runs);
    expect(good!.some((run) => run.status === 'completedWithFailures')).toBe(true);
    expect(badtarget!.every((run) => run.status === 'failed' && /401/.test(run.error ?? ''))).toBe(true);
    expect(badsource!.every((run) => run.status === 'failed')).toBe(true);
  }, 240_000);

  it('answers the admin API without a credential in any answer or header', async () => {
    const accepted = await call('POST', '/v1/tenants/good/runs', SECRETS.adminToken, { mode: 'full' });
    expect(accepted.status).toBe(202);
    const { runId } = JSON.parse(accepted.text) as { runId: string };
    await until('the API-triggered run to end', async () => {
      const answer = await call('GET', `/v1/tenants/good/runs/${runId}`, SECRETS.viewerToken);
      const record = JSON.parse(answer.text) as RunRecord;
      return ['succeeded', 'completedWithFailures', 'failed'].includes(record.status) ? record : undefined;
    });
    for (const tenant of TENANTS) {
      await call('GET', `/v1/tenants/${tenant}`, SECRETS.viewerToken);
      await call('GET', `/v1/tenants/${tenant}/events?limit=500`, SECRETS.adminToken);
      await call('POST', `/v1/tenants/${tenant}/test-connection`, SECRETS.adminToken);
    }
    await call('GET', '/v1/tenants', SECRETS.adminToken);
    await call('GET', '/metrics', SECRETS.viewerToken);
    await call('GET', '/docs', undefined);
    await call('GET', '/docs/openapi.json', undefined);
    const provisioned = await call('POST', '/v1/tenants/good/provision', SECRETS.adminToken, {
      users: [platform.store.users()[1]?.userName],
    });
    expect(provisioned.status).toBe(200);
    // Refusals must not echo what was presented either.
    expect((await call('GET', '/v1/tenants', SECRETS.wrongPlatformToken)).status).toBe(401);
    expect((await call('POST', '/v1/tenants/good/runs', SECRETS.viewerToken, { mode: 'full' })).status).toBe(
      403,
    );
    const login = await call('GET', `/admin/login?token=${SECRETS.adminToken}`, undefined);
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const queues = await fetch(`${api}/admin/queues/api/queues?activeQueue=dirsync-ops-good&status=latest`, {
      headers: { cookie },
    });
    saw('GET /admin/queues/api/queues', await queues.text());
    expect(queues.status).toBe(200);
  }, 120_000);

  it('leaves no credential in any Redis key name or value, BullMQ job data included', async () => {
    const dumped = await dumpRedis(connection);
    expect(dumped.some((entry) => entry.key.startsWith('dirsync-bull:'))).toBe(true);
    expect(dumped.some((entry) => entry.type === 'stream')).toBe(true);
    for (const entry of dumped) saw(`redis ${entry.type} ${entry.key} (name)`, entry.key);
    for (const entry of dumped) saw(`redis ${entry.type} ${entry.key}`, entry.text);
  });

  it('finds none of the credentials in anything captured', async () => {
    saw('service output (stdout and stderr)', service.output());
    // The captures are real: the service logged at debug level and the runs failed with their reasons.
    expect(service.output()).toMatch(/"level":20/);
    expect(seen.some((entry) => /401/.test(entry.text))).toBe(true);
    const leaks = seen.flatMap(({ where, text }) =>
      Object.entries(SECRETS)
        .filter(([, value]) => text.includes(value))
        .map(([name]) => `${name} in ${where}`),
    );
    expect(leaks).toEqual([]);
  });
});
