import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Op, OpKind } from '../../src/model/plan.js';
import type { RunRecord } from '../../src/model/run.js';
import { silentLogger } from '../../src/observability/logger.js';
import { applyBatch } from '../../src/queue/opWorker/applyBatch.js';
import { recordOutcomes } from '../../src/queue/opWorker/recordOutcomes.js';
import { recordRun } from '../../src/runs/requestRun.js';
import { createTenantRuntime, type TenantRuntime } from '../../src/runs/runtime.js';
import { ConcurrencyLimiter } from '../../src/util/concurrencyLimiter.js';
import { TOKENS } from '../api/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.js';
import {
  chromiumAvailable as available,
  type ConsoleBrowser,
  startConsoleBrowser,
} from './consoleBrowser.js';

/**
 * A run followed live in the console: the op worker applies a run's ops against the SCIM emulator
 * while support staff watch its page in Debian's headless Chromium, which updates in place over
 * server-sent events and reloads once, when the run ends, to show what each op did.
 */
const SCIM_TOKEN = 'scim-token-console-live-41c7';
const TENANT = 'alpha';

let console_: ConsoleBrowser;
let platform: TestPlatform;
let runtime: TenantRuntime;

beforeAll(async () => {
  if (!available) return;
  platform = await startTestPlatform('emulator', { token: SCIM_TOKEN });
  const config = parseConfig(
    `
api:
  listen: 127.0.0.1:0
  tokens:
    - { label: ops, token: env:OPERATOR_TOKEN, role: operator, tenants: ["*"] }
tenants:
  - id: ${TENANT}
    source: { type: file, path: ${join(process.cwd(), 'config', 'demo', 'directory.json')} }
    target: { url: "${platform.url}", token: env:SCIM_TOKEN, maxRequestsPerSecond: 10000 }
`,
    process.cwd(),
    { env: { OPERATOR_TOKEN: TOKENS.operator, SCIM_TOKEN } },
  );
  console_ = await startConsoleBrowser(15, { config });
  runtime = createTenantRuntime(config.tenants[0]!, silentLogger());
});

afterAll(async () => {
  runtime?.close();
  await console_?.close();
  await platform?.close();
});

/** A run the pipeline has planned and started: its ops planned, none applied yet. */
async function startedRun(planned: Partial<Record<OpKind, number>>): Promise<RunRecord> {
  const { stores } = console_.api;
  const record = await recordRun(stores, { tenant: TENANT, mode: 'full', trigger: 'schedule' });
  await stores.runs.countPlanned(TENANT, record.id, planned);
  return stores.runs.update(TENANT, record.id, {
    status: 'applying',
    phase: 'users',
    startedAt: new Date(Date.now() - 2000).toISOString(),
    source: { users: 2, groups: 1 },
  });
}

/** What the op worker does with one batch job of the run. */
async function applyOps(run: RunRecord, ops: Op[], batchNumber: number): Promise<void> {
  const { stores } = console_.api;
  const batch = {
    tenant: TENANT,
    runId: run.id,
    attempt: 0,
    ops,
    opIds: ops.map((_op, index) => `${run.id}:${batchNumber}:${index}`),
    reread: false,
    recordedKey: `dirsync-test:recorded:${run.id}:${batchNumber}`,
    priority: undefined,
  };
  const applied = await applyBatch(batch, { stores, runtime, platformSlots: new ConcurrencyLimiter(4) });
  await recordOutcomes(stores, batch, applied, silentLogger());
}

/** Counts the page's loads from now on: a live update must not reload it. */
function loadsOf(page: Page): { count: number } {
  const loads = { count: 0 };
  page.on('load', () => loads.count++);
  return loads;
}

test.skipIf(!available)(
  "a moving run's page counts its ops live without reloading, then reloads once with the diff of what each op did",
  async () => {
    const run = await startedRun({ createUser: 2, createGroup: 1 });
    const page = await console_.signedIn(TOKENS.operator);
    await page.goto(`${console_.origin}/console/tenants/${TENANT}/runs/${run.id}`);
    const ops = page.locator('[data-live="ops"]');
    expect(await ops.textContent()).toContain('0/3 ops');
    await page.evaluate(() => {
      (globalThis as unknown as { followed: string }).followed = 'the same page';
    });
    const loads = loadsOf(page);

    await applyOps(
      run,
      [
        {
          kind: 'createUser',
          externalId: 'u-ada',
          active: true,
          attributes: { userName: 'ada@example.com', title: 'Principal Engineer' },
        },
      ],
      0,
    );
    await expect.poll(() => ops.textContent(), { timeout: 10_000 }).toContain('1/3 ops, 0 failed');
    expect(await ops.textContent()).toMatch(/ops\/s/);
    expect(await page.textContent('[data-live="status"]')).toContain('applying (phase users)');
    // The live region speaks of a new phase, not of every op: it still says what it said on opening.
    const announced = page.locator('[role="status"][data-live-run]');
    expect(await announced.textContent()).toContain('applying (phase users): 0/3 ops');
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'run-live');

    await applyOps(
      run,
      [
        {
          kind: 'createUser',
          externalId: 'u-grace',
          active: true,
          attributes: { userName: 'grace@example.com' },
        },
      ],
      1,
    );
    await console_.api.stores.runs.update(TENANT, run.id, { phase: 'groups' });
    await expect.poll(() => ops.textContent(), { timeout: 10_000 }).toContain('2/3 ops');
    expect(await page.textContent('[data-live="status"]')).toContain('phase groups');
    expect(await announced.textContent()).toContain('applying (phase groups): 2/3 ops');
    await applyOps(
      run,
      [
        {
          kind: 'createGroup',
          externalId: 'g-eng',
          displayName: 'Engineering',
          memberExternalIds: ['u-ada', 'u-grace'],
        },
      ],
      2,
    );
    await expect.poll(() => ops.textContent(), { timeout: 10_000 }).toContain('3/3 ops');
    // Longer than a browser without script waits before reloading: this one does not.
    await page.waitForTimeout(5500);
    expect(await page.evaluate(() => (globalThis as unknown as { followed?: string }).followed)).toBe(
      'the same page',
    );
    expect(loads.count).toBe(0);

    await console_.api.stores.runs.update(TENANT, run.id, {
      status: 'succeeded',
      phase: 'done',
      finishedAt: new Date().toISOString(),
      durationMs: 4200,
      phaseMs: { import: 300, plan: 40, users: 2600, groups: 1200 },
    });
    await expect.poll(() => loads.count, { timeout: 10_000 }).toBe(1);
    expect(await page.textContent('[data-live="status"]')).toBe('succeeded');
    expect(
      await page.evaluate(() => (globalThis as unknown as { followed?: string }).followed),
    ).toBeUndefined();
    expect(await page.locator('[data-live-run]').count()).toBe(0);

    const ada = page.locator('#diff tbody tr', { hasText: 'ada@example.com' });
    expect(await ada.textContent()).toMatch(/userName: \(none\) → ada@example\.com/);
    expect(await ada.textContent()).toMatch(/title: \(none\) → Principal Engineer/);
    const group = page.locator('#diff tbody tr', { hasText: 'Engineering' });
    expect(await group.textContent()).toMatch(/\+ u-ada, u-grace/);
    await page.getByLabel('Op kind').selectOption('createGroup');
    expect(await ada.isHidden()).toBe(true);
    await page.getByLabel('Op kind').selectOption('');
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'run-diff');
    // Settled: the page stays as it is.
    await page.waitForTimeout(1500);
    expect(loads.count).toBe(1);
    await page.close();
  },
);

test.skipIf(!available)(
  "a run's live stream needs a session that can read the tenant, and ends with the run",
  async () => {
    const run = await startedRun({ createUser: 1 });
    const url = `${console_.origin}/console/tenants/${TENANT}/runs/${run.id}/live`;
    const anonymous = await fetch(url, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/console/login');

    const page = await console_.signedIn(TOKENS.operator);
    const stream = await page.evaluate(async (live) => {
      const answer = await fetch(live);
      const reader = answer.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      return { type: answer.headers.get('content-type'), first };
    }, url);
    expect(stream.type).toBe('text/event-stream; charset=utf-8');
    expect(stream.first).toMatch(/^retry: \d+/);

    await applyOps(
      run,
      [
        {
          kind: 'createUser',
          externalId: 'u-linus',
          active: true,
          attributes: { userName: 'linus@example.com' },
        },
      ],
      0,
    );
    await console_.api.stores.runs.update(TENANT, run.id, { status: 'succeeded', phase: 'done' });
    // A settled run's stream says so once and ends, so the browser does not reconnect to it.
    const settled = await page.evaluate(async (live) => (await fetch(live)).text(), url);
    const events = settled.split('\n\n').filter((block) => block.startsWith('event: progress'));
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.split('data: ')[1]!)).toMatchObject({
      status: 'succeeded',
      done: 1,
      total: 1,
      settled: true,
    });
    await page.close();
  },
);

test.skipIf(!available)("without script, a moving run's page reloads by itself", async () => {
  const run = await startedRun({ createUser: 1 });
  const context = await console_.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${console_.origin}/console/login`);
  await page.getByLabel('API token').fill(TOKENS.operator);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${console_.origin}/console`);
  await page.goto(`${console_.origin}/console/tenants/${TENANT}/runs/${run.id}`);
  expect(await page.textContent('main')).toContain('This page reloads every 5 s while the run moves');
  await page.waitForEvent('load', { timeout: 10_000 });
  await context.close();
});

test.skipIf(!available)('the API closes at once while a run page still follows its run', async () => {
  const run = await startedRun({ createUser: 1 });
  const page = await console_.signedIn(TOKENS.operator);
  const cookie = (await page.context().cookies()).map(({ name, value }) => `${name}=${value}`).join('; ');
  const answer = await fetch(`${console_.origin}/console/tenants/${TENANT}/runs/${run.id}/live`, {
    headers: { cookie },
  });
  const reader = answer.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^retry:/);
  const started = Date.now();
  await console_.api.app.close();
  expect(Date.now() - started).toBeLessThan(5000);
  expect((await reader.read()).done).toBe(true);
});
