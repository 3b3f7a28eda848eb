import { afterAll, beforeAll, expect, test } from 'vitest';
import { approvalJobId } from '../../src/service/approval.js';
import { TOKENS } from '../api/fixtures.js';
import {
  chromiumAvailable as available,
  type ConsoleBrowser,
  startConsoleBrowser,
} from './consoleBrowser.js';
import { type SeededRuns, seedRuns } from './seed.js';

/**
 * The support console as support staff use it: Debian's headless Chromium, driven by Playwright,
 * signs in with a token, reads the tenants table, opens a run's diff, approves a held run, and is
 * refused every action with a viewer token. Every page is checked with axe-core and photographed.
 */
let console_: ConsoleBrowser;
let seeded: SeededRuns;

beforeAll(async () => {
  if (!available) return;
  console_ = await startConsoleBrowser(12);
  seeded = await seedRuns(console_.api.stores);
});

afterAll(async () => {
  await console_?.close();
});

test.skipIf(!available)(
  'an operator signs in and the tenants page shows each tenant, problems standing out',
  async () => {
    const page = await console_.signedIn(TOKENS.operator);
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
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'tenants');
    await page.close();
  },
);

test.skipIf(!available)(
  'a run page shows its diff per object, filterable, with failure reasons escaped',
  async () => {
    const page = await console_.signedIn(TOKENS.operator);
    await page.goto(`${console_.origin}/console/tenants/alpha`);
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
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'run-failures');
    await page.goto(`${console_.origin}/console/tenants/alpha`);
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'tenant');
    await page.close();
  },
);

test.skipIf(!available)(
  'a viewer sees a held run but is refused its approval, and every other action',
  async () => {
    const page = await console_.signedIn(TOKENS.viewer);
    await page.goto(`${console_.origin}/console/tenants/beta/runs/${seeded.held.id}`);
    expect(await page.textContent('.held')).toContain('Only an operator can approve');
    expect(await page.getByRole('button', { name: 'Approve and apply' }).count()).toBe(0);
    // A forged approval from the viewer's own session, with a valid CSRF token, is still refused.
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const answer = await page.request.post(
      `${console_.origin}/console/tenants/beta/runs/${seeded.held.id}/approve`,
      {
        form: { csrf },
        headers: { origin: console_.origin },
      },
    );
    expect(answer.status()).toBe(403);
    expect((await console_.api.stores.runs.get('beta', seeded.held.id))?.status).toBe('held');
    await page.close();
  },
);

test.skipIf(!available)('an action without the CSRF token or from another site changes nothing', async () => {
  const page = await console_.signedIn(TOKENS.operator);
  const url = `${console_.origin}/console/tenants/beta/runs/${seeded.held.id}/approve`;
  expect((await page.request.post(url, { form: {}, headers: { origin: console_.origin } })).status()).toBe(
    403,
  );
  expect(
    (
      await page.request.post(url, { form: { csrf: 'x' }, headers: { origin: 'https://evil.example' } })
    ).status(),
  ).toBe(403);
  expect((await console_.api.stores.runs.get('beta', seeded.held.id))?.status).toBe('held');
  await page.close();
});

test.skipIf(!available)(
  'an operator approves a held run after confirming, and the run is queued to apply',
  async () => {
    const page = await console_.signedIn(TOKENS.operator);
    await page.goto(`${console_.origin}/console/tenants/beta/runs/${seeded.held.id}`);
    expect(await page.textContent('.held')).toContain('above the 30 % limit');
    expect(await page.locator('#diff tbody tr').count()).toBe(3);
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'held-run');
    let asked = '';
    page.once('dialog', async (dialog) => {
      asked = dialog.message();
      await dialog.accept();
    });
    await page.getByRole('button', { name: 'Approve and apply' }).click();
    await page.waitForLoadState('load');
    await expect.poll(() => page.textContent('.facts')).toContain('queued');
    expect(asked).toContain('Apply this held plan');
    const job = await console_.api.queues.reconcile.getJob(approvalJobId(seeded.held.id));
    expect(job?.data).toMatchObject({ runId: seeded.held.id, tenant: 'beta', trigger: 'approve' });
    await page.close();
  },
);

test.skipIf(!available)(
  'an operator starts a dry run and tests the connection from the tenant page',
  async () => {
    const page = await console_.signedIn(TOKENS.operator);
    await page.goto(`${console_.origin}/console/tenants/alpha`);
    expect(await page.textContent('.facts')).toContain('*/40 * * * *');
    await page.getByRole('button', { name: 'Dry run (full)' }).click();
    await page.waitForURL(/\/console\/tenants\/alpha\/runs\//);
    expect(await page.textContent('.facts')).toContain('queued (dry run)');
    const runId = page.url().split('/').at(-1)!;
    expect(await console_.api.stores.runs.get('alpha', runId)).toMatchObject({
      dryRun: true,
      requestedMode: 'full',
    });
    await page.goto(`${console_.origin}/console/tenants/alpha`);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.waitForLoadState('load');
    const checks = page.locator('section[aria-labelledby="connection-title"] tbody tr');
    await expect.poll(() => checks.count()).toBeGreaterThan(1);
    expect(await page.textContent('#connection-title')).toContain('failed');
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'tenant-connection-test');
    await page.close();
  },
);

test.skipIf(!available)(
  'a viewer sees no action on the tenant page and a forged one is refused',
  async () => {
    const page = await console_.signedIn(TOKENS.viewer);
    await page.goto(`${console_.origin}/console/tenants/alpha`);
    expect(await page.getByRole('button', { name: 'Full sync' }).count()).toBe(0);
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const before = (await console_.api.stores.runs.list('alpha', 100)).length;
    for (const action of ['runs', 'reset', 'test-connection']) {
      const answer = await page.request.post(`${console_.origin}/console/tenants/alpha/${action}`, {
        form: { csrf, mode: 'full', dryRun: 'false' },
        headers: { origin: console_.origin },
      });
      expect(answer.status(), action).toBe(403);
    }
    expect((await console_.api.stores.runs.list('alpha', 100)).length).toBe(before);
    await page.close();
  },
);

test.skipIf(!available)(
  'the sign-in page refuses a wrong token and passes the accessibility check',
  async () => {
    const page = await (await console_.browser.newContext()).newPage();
    await page.goto(`${console_.origin}/console/login`);
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.textContent('[role="alert"]')).toContain('not valid');
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'sign-in');
    await page.close();
  },
);
