import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { approvalJobId } from '../../src/service/approval.js';
import { type ApiHarness, startApiHarness, TOKENS } from '../api/fixtures.js';
import { type SeededRuns, seedRuns } from './seed.js';

/**
 * The support console as support staff use it: Debian's headless Chromium, driven by Playwright,
 * signs in with a token, reads the tenants table, opens a run's diff, approves a held run, and is
 * refused every action with a viewer token. Every page is checked with axe-core and photographed
 * into .tmp/console-screenshots/. CI installs chromium; elsewhere the test is skipped without it.
 */
const CHROMIUM = '/usr/bin/chromium';
const available = !spawnSync(CHROMIUM, ['--version']).error;
if (!available && process.env.CI) throw new Error('chromium is required in CI (.ci/run installs it)');

const SCREENSHOTS = join(process.cwd(), '.tmp', 'console-screenshots');
const AXE_SCRIPT = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let api: ApiHarness;
let origin: string;
let browser: Browser;
let seeded: SeededRuns;

beforeAll(async () => {
  if (!available) return;
  api = await startApiHarness(12);
  seeded = await seedRuns(api.stores);
  origin = await api.app.listen({ host: '127.0.0.1', port: 0 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function signedIn(token: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(`${origin}/console`);
  expect(new URL(page.url()).pathname).toBe('/console/login');
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${origin}/console`);
  return page;
}

/** axe-core's serious and critical violations on the page as it stands. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the console's CSP rightly refuses an injected <script>.
  await page.evaluate(AXE_SCRIPT);
  const ids = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }
    ).axe;
    const result = await axe.run();
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id);
  });
  return ids;
}

async function snapshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

test.skipIf(!available)(
  'an operator signs in and the tenants page shows each tenant, problems standing out',
  async () => {
    const page = await signedIn(TOKENS.operator);
    const rows = page.locator('#tenants tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const beta = page.locator('#tenants tbody tr', { hasText: 'beta' });
    expect(await beta.getAttribute('class')).toContain('problem-row');
    expect(await beta.textContent()).toContain('held run waiting');
    const alpha = page.locator('#tenants tbody tr', { hasText: 'alpha' });
    expect(await alpha.textContent()).toContain('completedWithFailures');
    expect(await alpha.textContent()).toContain('1 failed');
    await page.getByLabel('Filter').fill('beta');
    expect(await alpha.isHidden()).toBe(true);
    await page.getByLabel('Filter').fill('');
    expect(await page.content()).not.toContain(TOKENS.operator);
    expect(await seriousViolations(page)).toEqual([]);
    await snapshot(page, 'tenants');
    await page.close();
  },
);

test.skipIf(!available)(
  'a run page shows its diff per object, filterable, with failure reasons escaped',
  async () => {
    const page = await signedIn(TOKENS.operator);
    await page.goto(`${origin}/console/tenants/alpha`);
    await page.getByRole('link', { name: seeded.applied.id }).click();
    await page.waitForURL(`**/runs/${seeded.applied.id}`);
    const ada = page.locator('#diff tbody tr', { hasText: 'ada@example.com' });
    expect(await ada.textContent()).toMatch(/title: Engineer → Principal Engineer/);
    const failure = page.locator('#diff tbody tr', { hasText: 'grace@example.com' });
    expect(await failure.textContent()).toContain('userName <b>taken</b>');
    await page.getByLabel('Outcome').selectOption('failure');
    expect(await ada.isHidden()).toBe(true);
    expect(await failure.isVisible()).toBe(true);
    await page.getByLabel('Outcome').selectOption('');
    expect(await seriousViolations(page)).toEqual([]);
    await snapshot(page, 'run-diff');
    await page.goto(`${origin}/console/tenants/alpha`);
    expect(await seriousViolations(page)).toEqual([]);
    await snapshot(page, 'tenant');
    await page.close();
  },
);

test.skipIf(!available)(
  'a viewer sees a held run but is refused its approval, and every other action',
  async () => {
    const page = await signedIn(TOKENS.viewer);
    await page.goto(`${origin}/console/tenants/beta/runs/${seeded.held.id}`);
    expect(await page.textContent('.held')).toContain('Only an operator can approve');
    expect(await page.getByRole('button', { name: 'Approve and apply' }).count()).toBe(0);
    // A forged approval from the viewer's own session, with a valid CSRF token, is still refused.
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const answer = await page.request.post(`${origin}/console/tenants/beta/runs/${seeded.held.id}/approve`, {
      form: { csrf },
      headers: { origin },
    });
    expect(answer.status()).toBe(403);
    expect((await api.stores.runs.get('beta', seeded.held.id))?.status).toBe('held');
    await page.close();
  },
);

test.skipIf(!available)('an action without the CSRF token or from another site changes nothing', async () => {
  const page = await signedIn(TOKENS.operator);
  const url = `${origin}/console/tenants/beta/runs/${seeded.held.id}/approve`;
  expect((await page.request.post(url, { form: {}, headers: { origin } })).status()).toBe(403);
  expect(
    (
      await page.request.post(url, { form: { csrf: 'x' }, headers: { origin: 'https://evil.example' } })
    ).status(),
  ).toBe(403);
  expect((await api.stores.runs.get('beta', seeded.held.id))?.status).toBe('held');
  await page.close();
});

test.skipIf(!available)(
  'an operator approves a held run after confirming, and the run is queued to apply',
  async () => {
    const page = await signedIn(TOKENS.operator);
    await page.goto(`${origin}/console/tenants/beta/runs/${seeded.held.id}`);
    expect(await page.textContent('.held')).toContain('above the 30 % limit');
    expect(await page.locator('#diff tbody tr').count()).toBe(3);
    expect(await seriousViolations(page)).toEqual([]);
    await snapshot(page, 'held-run');
    let asked = '';
    page.once('dialog', async (dialog) => {
      asked = dialog.message();
      await dialog.accept();
    });
    await page.getByRole('button', { name: 'Approve and apply' }).click();
    await page.waitForLoadState('load');
    await expect.poll(() => page.textContent('.facts')).toContain('queued');
    expect(asked).toContain('Apply this held plan');
    const job = await api.queues.reconcile.getJob(approvalJobId(seeded.held.id));
    expect(job?.data).toMatchObject({ runId: seeded.held.id, tenant: 'beta', trigger: 'approve' });
    await page.close();
  },
);

test.skipIf(!available)(
  'an operator starts a dry run and tests the connection from the tenant page',
  async () => {
    const page = await signedIn(TOKENS.operator);
    await page.goto(`${origin}/console/tenants/alpha`);
    expect(await page.textContent('.facts')).toContain('*/40 * * * *');
    await page.getByRole('button', { name: 'Dry run (full)' }).click();
    await page.waitForURL(/\/console\/tenants\/alpha\/runs\//);
    expect(await page.textContent('.facts')).toContain('queued (dry run)');
    const runId = page.url().split('/').at(-1)!;
    expect(await api.stores.runs.get('alpha', runId)).toMatchObject({ dryRun: true, requestedMode: 'full' });
    await page.goto(`${origin}/console/tenants/alpha`);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.waitForLoadState('load');
    const checks = page.locator('section[aria-labelledby="connection-title"] tbody tr');
    await expect.poll(() => checks.count()).toBeGreaterThan(1);
    expect(await page.textContent('#connection-title')).toContain('failed');
    expect(await seriousViolations(page)).toEqual([]);
    await snapshot(page, 'tenant-connection-test');
    await page.close();
  },
);

test.skipIf(!available)(
  'a viewer sees no action on the tenant page and a forged one is refused',
  async () => {
    const page = await signedIn(TOKENS.viewer);
    await page.goto(`${origin}/console/tenants/alpha`);
    expect(await page.getByRole('button', { name: 'Full sync' }).count()).toBe(0);
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const before = (await api.stores.runs.list('alpha', 100)).length;
    for (const action of ['runs', 'reset', 'test-connection']) {
      const answer = await page.request.post(`${origin}/console/tenants/alpha/${action}`, {
        form: { csrf, mode: 'full', dryRun: 'false' },
        headers: { origin },
      });
      expect(answer.status(), action).toBe(403);
    }
    expect((await api.stores.runs.list('alpha', 100)).length).toBe(before);
    await page.close();
  },
);

test.skipIf(!available)(
  'the sign-in page refuses a wrong token and passes the accessibility check',
  async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${origin}/console/login`);
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.textContent('[role="alert"]')).toContain('not valid');
    expect(await seriousViolations(page)).toEqual([]);
    await snapshot(page, 'sign-in');
    await page.close();
  },
);
