import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord, RunStatus } from '../../src/model/run.js';
import { keys } from '../../src/runs/keys.js';
import { recordRun } from '../../src/runs/requestRun.js';
import { approvalJobId } from '../../src/service/approval.js';
import { type ApiHarness, bearer, startApiHarness, TOKENS } from './fixtures.js';

let api: ApiHarness;
const operator = bearer(TOKENS.operator);

beforeAll(async () => {
  api = await startApiHarness(4);
});
afterAll(async () => {
  await api?.close();
});

async function post(url: string, payload: unknown = {}) {
  return api.app.inject({ method: 'POST', url, headers: operator, payload: payload as object });
}
async function get(url: string) {
  return api.app.inject({ method: 'GET', url, headers: operator });
}

/** A run that already ended, as a worker would have left it. */
async function finishedRun(
  tenant: string,
  status: RunStatus,
  patch: Partial<RunRecord> = {},
): Promise<RunRecord> {
  const record = await recordRun(api.stores, { tenant, mode: 'full', trigger: 'schedule' });
  return api.stores.runs.update(tenant, record.id, {
    status,
    startedAt: record.createdAt,
    finishedAt: new Date().toISOString(),
    durationMs: 2500,
    ...patch,
  });
}

describe('on-demand runs', () => {
  it('answers 202 with a run id that names a queued run with its job', async () => {
    const response = await post('/v1/tenants/alpha/runs', { mode: 'full' });
    expect(response.statusCode).toBe(202);
    const { runId, coalesced } = response.json();
    expect(coalesced).toBe(false);
    expect(response.headers.location).toBe(`/v1/tenants/alpha/runs/${runId}`);
    const run = (await get(`/v1/tenants/alpha/runs/${runId}`)).json();
    expect(run).toMatchObject({
      id: runId,
      status: 'queued',
      requestedMode: 'full',
      trigger: 'api',
      dryRun: false,
    });
    expect(await api.queues.reconcile.getJobState(runId)).toBe('waiting');
  });

  it('coalesces requests that arrive while a run is in flight into one follow-up run, upgraded to full', async () => {
    const first = (await post('/v1/tenants/beta/runs', { mode: 'incremental' })).json();
    const second = (await post('/v1/tenants/beta/runs', { mode: 'incremental' })).json();
    const third = (await post('/v1/tenants/beta/runs', { mode: 'full' })).json();
    expect(second).toMatchObject({ coalesced: true, behind: first.runId });
    expect(third).toMatchObject({ coalesced: true, behind: first.runId, runId: second.runId, mode: 'full' });
    // The follow-up waits outside the queue until the run ahead of it ends.
    expect(await api.queues.reconcile.getJobState(second.runId)).toBe('unknown');
    const runs = (await get('/v1/tenants/beta/runs')).json().runs as RunRecord[];
    expect(runs.map((run) => run.id).sort()).toEqual([first.runId, second.runId].sort());
  });

  it('queues a dry run as asked, and keeps its plan out of the history', async () => {
    const response = await post('/v1/tenants/alpha/runs', { mode: 'full', dryRun: true });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ dryRun: true, coalesced: false });
    const runs = (await get('/v1/tenants/alpha/runs?limit=50')).json().runs as RunRecord[];
    expect(runs.every((run) => run.plan === undefined)).toBe(true);
  });
});

describe('approving a held run', () => {
  async function heldRun(): Promise<RunRecord> {
    const run = await finishedRun('alpha', 'held', {
      heldReason: 'too many deactivations',
      finishedAt: undefined,
    });
    await api.stores.redis.set(keys.runPlan('alpha', run.id), gzipSync(Buffer.from('{}')));
    return run;
  }

  it('re-enqueues the same run id with trigger approve, once', async () => {
    const run = await heldRun();
    const response = await post(`/v1/tenants/alpha/runs/${run.id}/approve`);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ runId: run.id, status: 'queued' });
    const job = await api.queues.reconcile.getJob(approvalJobId(run.id));
    expect(job?.data).toMatchObject({ runId: run.id, tenant: 'alpha', trigger: 'approve' });
    const again = await post(`/v1/tenants/alpha/runs/${run.id}/approve`);
    expect(again.statusCode).toBe(409);
  });

  it('409 for a run that is not held, and marks a held run whose plan expired', async () => {
    const done = await finishedRun('alpha', 'succeeded');
    expect((await post(`/v1/tenants/alpha/runs/${done.id}/approve`)).statusCode).toBe(409);
    const stale = await finishedRun('alpha', 'held', { finishedAt: undefined });
    const response = await post(`/v1/tenants/alpha/runs/${stale.id}/approve`);
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/expired/);
    expect((await get(`/v1/tenants/alpha/runs/${stale.id}`)).json().status).toBe('expired');
  });
});

describe('the provisioning log', () => {
  it('reads in order, filtered, and on from a cursor', async () => {
    const base = {
      runId: 'run-1',
      at: new Date().toISOString(),
      objectType: 'user' as const,
      outcome: 'success' as const,
    };
    for (const name of ['ada', 'grace', 'alan', 'ada']) {
      await api.stores.events.append('beta', {
        ...base,
        externalId: `id-${name}`,
        subject: `${name}@example.com`,
        op: 'updateUser',
      });
    }
    const page = (await get('/v1/tenants/beta/events?limit=2')).json();
    expect(page.events.map((event: { subject: string }) => event.subject)).toEqual([
      'ada@example.com',
      'grace@example.com',
    ]);
    const rest = (await get(`/v1/tenants/beta/events?after=${page.next}`)).json();
    expect(rest.events.map((event: { subject: string }) => event.subject)).toEqual([
      'alan@example.com',
      'ada@example.com',
    ]);
    const ada = (await get('/v1/tenants/beta/events?subject=ADA@example.com')).json();
    expect(ada.events).toHaveLength(2);
    expect((await get('/v1/tenants/beta/events?after=not-a-cursor')).json().field).toBe('after');
  });

  it('reads newest first by part of an email and by outcome, back in time with `before`', async () => {
    const base = { runId: 'run-2', at: new Date().toISOString(), objectType: 'user' as const };
    for (const [name, outcome] of [
      ['lin', 'success'],
      ['mo', 'failure'],
      ['lin', 'failure'],
    ] as const) {
      await api.stores.events.append('alpha', {
        ...base,
        externalId: `id-${name}`,
        subject: name,
        email: `${name}.kay@example.org`,
        op: 'createUser',
        outcome,
      });
    }
    const newest = (await get('/v1/tenants/alpha/events?order=newest&subject=LIN.KAY&limit=1')).json();
    expect(newest.events.map((event: { outcome: string }) => event.outcome)).toEqual(['failure']);
    const older = (
      await get(`/v1/tenants/alpha/events?order=newest&subject=LIN.KAY&limit=1&before=${newest.next}`)
    ).json();
    expect(older.events.map((event: { outcome: string }) => event.outcome)).toEqual(['success']);
    const failures = (await get('/v1/tenants/alpha/events?order=newest&outcome=failure')).json();
    expect(failures.events.map((event: { subject: string }) => event.subject)).toEqual(['lin', 'mo']);
    const backwards = await get(`/v1/tenants/alpha/events?before=${newest.next}`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().field).toBe('before');
    expect((await get('/v1/tenants/alpha/events?outcome=maybe')).json().field).toBe('outcome');
  });
});

describe('tenant status, quarantine and reset', () => {
  it('shows a tenant quarantined after three refused runs, and reset clears it with the cursor', async () => {
    await api.stores.state.commitCheckpoint('beta', {
      snapshot: { users: [], groups: [] },
      committedAt: new Date(Date.now() - 60_000).toISOString(),
      cursor: 'c1',
    });
    for (let index = 0; index < 3; index++) {
      await finishedRun('beta', 'failed', {
        error: 'platform answered 401: invalid token',
        failureClass: { class: 'fatal', cause: 'credentials' },
      });
    }
    const status = (await get('/v1/tenants/beta')).json();
    expect(status.state).toBe('quarantined');
    expect(status.quarantine).toMatchObject({
      quarantined: true,
      cause: 'credentials',
      consecutiveFailures: 3,
    });
    expect(status.quarantine.reason).toContain('401');
    expect(status.cursor.ageSeconds).toBeGreaterThanOrEqual(59);
    expect(status.lastRun.status).toBe('failed');

    const reset = await post('/v1/tenants/beta/reset');
    expect(reset.json()).toEqual({ tenant: 'beta', cursorForgotten: true, quarantineCleared: true });
    const after = (await get('/v1/tenants/beta')).json();
    expect(after.quarantine.quarantined).toBe(false);
    expect(after.cursor).toBeNull();
  });
});

describe('/metrics', () => {
  it('shows the counters of finished runs, counted once however often it is scraped', async () => {
    await finishedRun('alpha', 'completedWithFailures', {
      counts: {},
      apiCalls: { source: 3, target: 12 },
      throttled: { source: 0, target: 2 },
    });
    await api.stores.runs.countOutcome(
      'alpha',
      (await api.stores.runs.list('alpha', 1))[0]!.id,
      'createUser',
      'succeeded',
    );
    const scrape = async () => (await get('/metrics')).body;
    const first = await scrape();
    const second = await scrape();
    for (const text of [first, second]) {
      expect(text).toContain(
        'dirsync_runs_total{tenant="alpha",mode="full",outcome="completedWithFailures"} 1',
      );
      expect(text).toContain('dirsync_ops_total{tenant="alpha",kind="createUser",outcome="succeeded"} 1');
      expect(text).toContain('dirsync_api_calls_total{tenant="alpha",side="target"} 12');
      expect(text).toContain('dirsync_throttled_total{tenant="alpha",side="target"} 2');
      expect(text).toContain('dirsync_run_duration_seconds_bucket{tenant="alpha",le="5"}');
      expect(text).toMatch(/dirsync_queue_jobs\{queue="dirsync-reconcile",state="waiting"\} [1-9]/);
    }
  });
});
