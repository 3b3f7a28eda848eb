import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/model/run.js';
import type { TenantStatus } from '../../src/service/tenantStatus.js';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { type EmbeddedRedis, freePort, startEmbeddedRedis } from '../support/embeddedRedis.js';
import { until } from '../support/until.js';
import { type ServiceProcess, startServiceProcess } from './serviceProcess.js';

/**
 * The service as an operator runs it: separate processes of the built CLI (`npm run build` first)
 * — one api, two workers, two schedulers — over a private Redis, writing to SCIM emulators.
 */
const TOKENS = {
  operator: 'e2e-operator-token-0123456789',
  viewer: 'e2e-viewer-token-0123456789',
  desk: 'e2e-desk-token-0123456789',
};
const SCIM_TOKEN = 'e2e-scim-token';
const TICK_MS = 5000;

let redis: EmbeddedRedis;
let scheduled: ScimEmulator;
let onDemand: ScimEmulator;
let directory: string;
let api: string;
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  const certificates = ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!);
  [redis, scheduled, onDemand] = await Promise.all([
    startEmbeddedRedis(),
    startScimEmulator({ certificates, token: SCIM_TOKEN }),
    startScimEmulator({ certificates, token: SCIM_TOKEN }),
  ]);
  directory = mkdtempSync(join(tmpdir(), 'dirsync-service-'));
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  const source = join(process.cwd(), 'config', 'demo', 'directory.json');
  const configFile = join(directory, 'dirsync.yaml');
  writeFileSync(
    configFile,
    `redis: { url: "${redis.url}" }
api:
  listen: 127.0.0.1:${port}
  tokens:
    - { token: env:E2E_OPERATOR, role: operator, tenants: ["*"] }
    - { token: env:E2E_VIEWER, role: viewer, tenants: ["*"] }
    - { token: env:E2E_DESK, role: operator, tenants: [desk] }
tenants:
  - id: hr
    source: { type: file, path: ${source} }
    target: { url: "${scheduled.url}", token: env:E2E_SCIM }
    schedule: { full: "*/5 * * * * *" }
  - id: desk
    source: { type: file, path: ${source} }
    target: { url: "${onDemand.url}", token: env:E2E_SCIM }
`,
  );
  const env = {
    E2E_OPERATOR: TOKENS.operator,
    E2E_VIEWER: TOKENS.viewer,
    E2E_DESK: TOKENS.desk,
    E2E_SCIM: SCIM_TOKEN,
  };
  const start = (name: string, role: string) =>
    startServiceProcess(name, ['start', '--role', role, '--config', configFile], env);
  processes.push(start('api', 'api'), start('worker-1', 'worker'), start('worker-2', 'worker'));
  processes.push(start('scheduler-1', 'scheduler'), start('scheduler-2', 'scheduler'));
  await Promise.all(processes.map((child) => child.waitFor(/role started/)));
}, 90_000);

afterAll(async () => {
  for (const child of processes) child.kill();
  await Promise.all([redis?.stop(), scheduled?.close(), onDemand?.close()]);
  if (directory) rmSync(directory, { recursive: true, force: true });
});

async function call(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
  return fetch(`${api}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** The JSON body, in the shape the API documents. */
async function read<T>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

interface Accepted {
  readonly runId: string;
  readonly coalesced: boolean;
  readonly behind?: string;
}

async function runs(tenant: string): Promise<RunRecord[]> {
  return (
    await read<{ runs: RunRecord[] }>(call('GET', `/v1/tenants/${tenant}/runs?limit=200`, TOKENS.operator))
  ).runs;
}

const finished = (run: RunRecord) =>
  ['succeeded', 'completedWithFailures', 'failed', 'expired'].includes(run.status);

describe('dirsync start, as separate processes', () => {
  it('is ready, and holds the auth matrix over HTTP', async () => {
    expect((await call('GET', '/readyz')).status).toBe(200);
    expect((await call('GET', '/v1/tenants')).status).toBe(401);
    expect((await call('POST', '/v1/tenants/desk/runs', TOKENS.viewer, { mode: 'full' })).status).toBe(403);
    expect((await call('POST', '/v1/tenants/hr/runs', TOKENS.desk, { mode: 'full' })).status).toBe(403);
    const bad = await call('POST', '/v1/tenants/desk/runs', TOKENS.desk, { mode: 'sideways' });
    expect(bad.status).toBe(400);
    expect((await read<{ field: string }>(bad)).field).toBe('mode');
  });

  it('fires a run from the cron schedule, which provisions the platform', async () => {
    const run = await until(
      'a scheduled run to succeed',
      async () =>
        (await runs('hr')).find(
          (candidate) => candidate.trigger === 'schedule' && candidate.status === 'succeeded',
        ),
      45_000,
    );
    expect(run.counts.createUser?.succeeded).toBe(4);
    expect(scheduled.store.users().map((user) => user.userName)).toContain("o'brien@example.com");
  });

  it('answers an on-demand resync with 202 and completes it; requests during it coalesce into one follow-up', async () => {
    const first = await call('POST', '/v1/tenants/desk/runs', TOKENS.desk, { mode: 'full' });
    expect(first.status).toBe(202);
    const { runId } = await read<Accepted>(first);
    const second = await read<Accepted>(call('POST', '/v1/tenants/desk/runs', TOKENS.desk, { mode: 'full' }));
    const third = await read<Accepted>(
      call('POST', '/v1/tenants/desk/runs', TOKENS.desk, { mode: 'incremental' }),
    );
    const ran = await until(
      'both runs of desk to finish',
      async () => {
        const all = await runs('desk');
        return all.length === 2 && all.every(finished) ? all : undefined;
      },
      45_000,
    );
    const done = ran.find((run) => run.id === runId)!;
    expect(done.status).toBe('succeeded');
    expect(done.counts.createUser?.succeeded).toBe(4);
    // Each request after the first joined the one follow-up run, which ran after it and planned nothing.
    expect(second).toMatchObject({ coalesced: true, behind: runId });
    expect(third.runId).toBe(second.runId);
    expect(ran.find((run) => run.id === second.runId)).toMatchObject({ status: 'succeeded', counts: {} });
    expect(onDemand.store.users()).toHaveLength(4);
  });

  it('two schedulers never double a run: at most one run per tick, never two at once', async () => {
    await new Promise((wake) => setTimeout(wake, 3 * TICK_MS));
    const all = (await runs('hr')).filter((run) => run.trigger === 'schedule');
    expect(all.length).toBeGreaterThanOrEqual(3);
    const ticks = all.map((run) => Math.floor(Date.parse(run.createdAt) / TICK_MS));
    expect(new Set(ticks).size).toBe(ticks.length);
    const spans = all
      .filter((run) => run.startedAt && run.finishedAt)
      .map((run) => [Date.parse(run.startedAt!), Date.parse(run.finishedAt!)] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let index = 1; index < spans.length; index++)
      expect(spans[index]![0]).toBeGreaterThanOrEqual(spans[index - 1]![1]);
  });

  it('shows the counters of finished runs in /metrics, and the tenant status with its next run', async () => {
    const text = await (await call('GET', '/metrics', TOKENS.viewer)).text();
    expect(text).toMatch(/dirsync_runs_total\{tenant="desk",mode="full",outcome="succeeded"\} 2/);
    expect(text).toMatch(/dirsync_ops_total\{tenant="desk",kind="createUser",outcome="succeeded"\} 4/);
    expect(text).toMatch(/dirsync_api_calls_total\{tenant="desk",side="target"\} [1-9]/);
    expect(text).toMatch(/dirsync_run_duration_seconds_count\{tenant="desk"\} 2/);
    // Per tenant: what it owns, how long since it last synced, whether it is quarantined.
    expect(text).toContain('dirsync_tenant_managed_users{tenant="desk"} 4');
    expect(text).toContain('dirsync_tenant_quarantined{tenant="desk"} 0');
    const age = /dirsync_tenant_last_success_age_seconds\{tenant="desk"\} ([\d.e+-]+)/.exec(text);
    expect(Number(age?.[1])).toBeGreaterThanOrEqual(0);
    expect(Number(age?.[1])).toBeLessThan(300);
    // Each of the four creates timed by the worker that applied it, whichever of the two.
    expect(text).toContain('dirsync_op_duration_seconds_count{tenant="desk",kind="createUser"} 4');
    expect(text).toContain('dirsync_op_duration_seconds_bucket{tenant="desk",kind="createUser",le="+Inf"} 4');
    // The api process's own Node.js metrics.
    for (const series of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(text).toMatch(new RegExp(`^${series} [\\d.e+-]+$`, 'm'));
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
    // The Grafana dashboard shipped in docker/ charts only series this endpoint serves.
    const dashboard = readFileSync(join('docker', 'grafana', 'dashboards', 'dirsync.json'), 'utf8');
    const charted = new Set(dashboard.match(/\b(?:dirsync|process|nodejs)_[a-z0-9_]+/g));
    expect(charted.size).toBeGreaterThan(10);
    for (const name of charted) {
      const histogram = name.replace(/_(bucket|sum|count)$/, '');
      expect(
        text.includes(`# TYPE ${name} `) || text.includes(`# TYPE ${histogram} histogram`),
        `${name} is charted but not served`,
      ).toBe(true);
    }
    const status = await read<TenantStatus>(call('GET', '/v1/tenants/hr', TOKENS.viewer));
    expect(status.schedules.full?.pattern).toBe('*/5 * * * * *');
    expect(Date.parse(status.nextRunAt ?? '')).toBeGreaterThan(Date.now() - TICK_MS);
    expect(status.quarantine.quarantined).toBe(false);
  });

  it('serves the queue dashboard to a signed-in browser session', async () => {
    const login = await fetch(`${api}/admin/login?token=${TOKENS.operator}`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await fetch(`${api}/admin/queues`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const queues = await read<{ queues: { name: string }[] }>(
      fetch(`${api}/admin/queues/api/queues`, { headers: { cookie } }),
    );
    expect(queues.queues.map((queue) => queue.name)).toEqual(
      expect.arrayContaining(['dirsync-reconcile', 'dirsync-schedule', 'dirsync-ops-hr', 'dirsync-ops-desk']),
    );
  });

  it('stops every process on SIGTERM with exit code 0', async () => {
    const codes = await Promise.all(processes.map((child) => child.stop()));
    expect(codes).toEqual([0, 0, 0, 0, 0]);
    for (const child of processes) expect(child.output()).toMatch(/"msg":"dirsync stopped"/);
  });
});
