import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.js';
import type { RedisStores } from '../../src/runs/redis/stores.js';
import { recordRun } from '../../src/runs/requestRun.js';
import { type Backend, openBackend } from '../../src/service/compositionRoot.js';
import { readSkippedTriggers } from '../../src/service/quarantineStatus.js';
import { handleScheduleTick, type TickDependencies } from '../../src/service/scheduleTick.js';

let backend: Backend;
let stores: RedisStores;
let deps: TickDependencies;

beforeAll(async () => {
  const url = `${process.env.REDIS_URL}/8`;
  const flush = new Redis(url);
  await flush.flushdb();
  flush.disconnect();
  backend = await openBackend({ url });
  stores = backend.stores;
  deps = { stores, queues: backend.queues, tenants: new Set(['steady', 'refused']), logger: silentLogger() };
});
afterAll(async () => {
  await backend?.close();
});

describe('a schedule tick', () => {
  it('queues a scheduled run, once per tick id', async () => {
    const outcome = await handleScheduleTick(
      deps,
      { tenant: 'steady', mode: 'incremental' },
      'repeat:steady-incremental:1',
    );
    if (outcome.kind !== 'run') throw new Error(`expected a run, got ${outcome.kind}`);
    expect(outcome.triggered.run).toMatchObject({
      trigger: 'schedule',
      requestedMode: 'incremental',
      status: 'queued',
    });
    expect(await backend.queues.reconcile.getJobState(outcome.triggered.run.id)).toBe('waiting');
    const again = await handleScheduleTick(
      deps,
      { tenant: 'steady', mode: 'incremental' },
      'repeat:steady-incremental:1',
    );
    expect(again.kind).toBe('duplicate');
  });

  it('is skipped and counted while the tenant is quarantined', async () => {
    for (let index = 0; index < 3; index++) {
      const run = await recordRun(stores, { tenant: 'refused', mode: 'full', trigger: 'schedule' });
      await stores.runs.update('refused', run.id, {
        status: 'failed',
        error: 'Graph GET /users failed: 401 InvalidAuthenticationToken',
        finishedAt: new Date().toISOString(),
      });
    }
    const outcome = await handleScheduleTick(
      deps,
      { tenant: 'refused', mode: 'full' },
      'repeat:refused-full:2',
    );
    expect(outcome).toEqual({
      kind: 'skipped',
      reason: 'Graph GET /users failed: 401 InvalidAuthenticationToken',
    });
    expect(await stores.runs.list('refused', 10)).toHaveLength(3);
    expect(await readSkippedTriggers(stores, 'refused')).toMatchObject({ count: 1, lastMode: 'full' });
  });

  it('ignores a tick of a tenant this process does not know', async () => {
    expect(
      (await handleScheduleTick(deps, { tenant: 'gone', mode: 'full' }, 'repeat:gone-full:3')).kind,
    ).toBe('unknownTenant');
  });
});
