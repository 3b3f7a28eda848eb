import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { RunRecord } from '../../src/model/run.js';
import { silentLogger } from '../../src/observability/logger.js';
import { recordRun, requestOf } from '../../src/runs/requestRun.js';
import { wireTenant } from '../../src/service/compositionRoot.js';
import { connectRedis } from '../../src/service/redis.js';
import { writesIn } from '../support/scimState.js';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.js';
import {
  chromiumAvailable as available,
  type ConsoleBrowser,
  startConsoleBrowser,
} from './consoleBrowser.js';

/**
 * The provisioning log and explain pages as support staff use them, with a viewer's token: a file
 * tenant scoped to the Staff group and the Sales department has been synced to the SCIM emulator,
 * and its log is searched, paged and followed to its run; then users are explained, one the filter
 * leaves out and one the next run would create, with nothing written to the platform.
 */
const DB = 13;
const TENANT = 'files';
const VIEWER = 'viewer-token-log-explain-0123456789';
const SCIM_TOKEN = 'scim-token-log-explain-7781';
/** Enough users in scope that their creations fill more than one page of the log (50). */
const SALES_STAFF = 56;

interface SourceUser {
  readonly id: string;
  readonly userName: string;
  readonly email: string;
  readonly title: string;
  readonly department: string;
}

const person = (id: string, department = 'Sales'): SourceUser => ({
  id,
  userName: `${id}@contoso.com`,
  email: `${id}@contoso.com`,
  title: 'Account manager',
  department,
});

let console_: ConsoleBrowser;
let platform: TestPlatform;
let directoryFile: string;
let sync: RunRecord;

function writeDirectory(users: readonly SourceUser[]): void {
  const groups = [{ id: 'g-staff', displayName: 'Staff', members: users.map((user) => user.id) }];
  writeFileSync(directoryFile, JSON.stringify({ users, groups }));
}

beforeAll(async () => {
  if (!available) return;
  platform = await startTestPlatform('emulator', { token: SCIM_TOKEN });
  const directory = mkdtempSync(join(tmpdir(), 'dirsync-console-log-'));
  directoryFile = join(directory, 'directory.json');
  // Alice's email is not her userName: the log finds her by it all the same.
  const alice = { ...person('alice'), userName: 'awong@contoso.com', email: 'alice.wong@contoso.com' };
  const staff = Array.from({ length: SALES_STAFF - 1 }, (_, index) => person(`seller-${index + 1}`));
  writeDirectory([alice, ...staff, person('henry', 'HR')]);
  const config = parseConfig(
    `
api:
  listen: 127.0.0.1:0
  tokens:
    - { token: env:VIEWER_TOKEN, role: viewer, tenants: ["*"] }
tenants:
  - id: ${TENANT}
    source:
      type: file
      path: ${directoryFile}
      scope: { mode: groups, groups: [Staff] }
      filters: [{ attribute: department, op: in, value: [Sales] }]
    target: { url: "${platform.url}", token: env:SCIM_TOKEN }
  - id: refused
    source: { type: file, path: ${directoryFile} }
    target: { url: "${platform.url}", token: env:WRONG_TOKEN }
`,
    process.cwd(),
    { env: { VIEWER_TOKEN: VIEWER, SCIM_TOKEN, WRONG_TOKEN: 'not-the-platform-token-0000' } },
  );
  console_ = await startConsoleBrowser(DB, { config });
  const { stores, queues } = console_.api;
  const here = wireTenant(
    { stores, queues, connect: () => connectRedis({ url: `${process.env.REDIS_URL}/${DB}` }) },
    config.tenants[0]!,
    silentLogger(),
    { pollMs: 50 },
  );
  try {
    sync = await here.execute(
      requestOf(await recordRun(stores, { tenant: TENANT, mode: 'full', trigger: 'cli' })),
    );
  } finally {
    await here.close();
  }
  expect(sync.status).toBe('succeeded');
  // The platform refused one object in a later run: the failure the outcome search finds.
  const refused = await recordRun(stores, { tenant: TENANT, mode: 'incremental', trigger: 'schedule' });
  await stores.events.append(TENANT, {
    runId: refused.id,
    at: new Date().toISOString(),
    objectType: 'user',
    externalId: 'seller-9',
    subject: 'seller-9@contoso.com',
    op: 'updateUser',
    outcome: 'failure',
    reason: 'the platform answered 400: title is too long',
  });
  // Someone joins Sales after the sync: explain says the next run would create them.
  writeDirectory([alice, ...staff, person('henry', 'HR'), { ...person('newbie'), title: 'Trainee' }]);
  platform.resetCalls();
}, 60_000);

afterAll(async () => {
  await console_?.close();
  await platform?.close();
});

test.skipIf(!available)(
  'a viewer searches the log by part of an email and by outcome, newest first, pages back, and follows a row to its run',
  async () => {
    const page = await console_.signedIn(VIEWER);
    await page.goto(`${console_.origin}/console/tenants/${TENANT}`);
    await page.getByRole('link', { name: 'Provisioning log' }).click();
    const rows = page.locator('#log tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    // Newest first: the failure logged after the sync heads the first page.
    expect(await rows.first().textContent()).toContain('title is too long');
    expect(await rows.first().getAttribute('data-outcome')).toBe('failure');
    expect(await console_.seriousViolations(page)).toEqual([]);

    const firstPage = await rows.locator('th small.id').allTextContents();
    await page.getByRole('link', { name: 'Older events' }).click();
    await page.waitForURL(/before=/);
    const olderPage = await rows.locator('th small.id').allTextContents();
    const { events: logged } = await console_.api.stores.events.read(TENANT, { limit: 1000 });
    // Every event once, the oldest last: the sync's creations (and its group's) and the failure.
    expect(logged.length).toBeGreaterThan(SALES_STAFF);
    expect([...firstPage, ...olderPage]).toEqual(logged.map((event) => event.externalId).reverse());
    expect(await page.getByRole('link', { name: 'Older events' }).count()).toBe(0);

    await page.getByLabel('Subject').fill('ALICE.WONG@');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/subject=ALICE.WONG/);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('awong@contoso.com');
    expect(await rows.first().textContent()).toContain('createUser');

    await page.getByLabel('Subject').fill('');
    await page.getByLabel('Outcome').selectOption('failure');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/outcome=failure/);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('seller-9@contoso.com');

    await page.getByLabel('Outcome').selectOption('');
    await page.getByLabel('Subject').fill('seller-1');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/subject=seller-1/);
    await expect.poll(() => rows.count()).toBe(11);
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'log');
    const created = page.locator('#log tbody tr', { hasText: 'seller-1@contoso.com' });
    await created.getByRole('link', { name: sync.id }).click();
    await page.waitForURL(`**/runs/${sync.id}`);
    expect(await page.textContent('h1')).toBe(`Run ${sync.id}`);
    await page.getByRole('link', { name: 'Events of this run in the provisioning log' }).click();
    await page.waitForURL(/runId=/);
    expect(await page.getByLabel('Run id').inputValue()).toBe(sync.id);
    await expect.poll(() => rows.count()).toBe(50);
    expect(await page.locator('#log', { hasText: 'title is too long' }).count()).toBe(0);
    await page.close();
  },
);

test.skipIf(!available)(
  'a viewer explains a user the department filter leaves out: the page names the rule and the filter that decided',
  async () => {
    const page = await console_.signedIn(VIEWER);
    await page.goto(`${console_.origin}/console/tenants/${TENANT}`);
    await page.getByRole('link', { name: 'Explain a user or group' }).click();
    await page.getByLabel('User or group').fill('henry@contoso.com');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.waitForURL(/subject=henry/);
    expect(await page.textContent('#verdict-title')).toBe(
      "user henry@contoso.com: out of scope: filter department in [Sales] failed: department is 'HR'",
    );
    const scope = page.locator('[data-step="scope"]');
    expect(await scope.textContent()).toContain('members of the scope groups [Staff]');
    const filter = scope.locator('table.filters tbody tr');
    expect(await filter.textContent()).toMatch(/department in \[Sales\]\s*HR\s*FAIL/);
    expect(await page.locator('[data-step="mapping"]').count()).toBe(0);
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'explain');

    await page.getByLabel('User or group').fill('nobody@contoso.com');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.waitForURL(/subject=nobody/);
    expect(await page.textContent('#verdict-title')).toContain(
      'not found: no user or group "nobody@contoso.com"',
    );
    expect(writesIn(platform.calls)).toBe(0);

    // A platform that refuses the token: the page says so, as the API answers 502.
    const refused = await page.goto(`${console_.origin}/console/tenants/refused/explain?subject=henry`);
    expect(refused?.status()).toBe(502);
    expect(await page.textContent('[role="alert"]')).toBe('the platform answered 401');
    await page.close();
  },
);

test.skipIf(!available)(
  'explaining an in-scope user shows the values the next run would send and that it would create them',
  async () => {
    const page = await console_.signedIn(VIEWER);
    await page.goto(`${console_.origin}/console/tenants/${TENANT}/explain`);
    await page.getByLabel('User or group').fill('newbie@contoso.com');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.waitForURL(/subject=newbie/);
    expect(await page.textContent('#verdict-title')).toBe(
      'user newbie@contoso.com: the next run would createUser',
    );
    const mapping = page.locator('[data-step="mapping"] table.attributes tbody');
    expect(await mapping.locator('tr', { hasText: 'userName' }).textContent()).toContain(
      'newbie@contoso.com',
    );
    expect(await mapping.locator('tr', { hasText: 'title' }).textContent()).toContain('Trainee');
    expect(await page.locator('[data-step="match"]').textContent()).toContain('no platform account yet');
    expect(await page.locator('[data-step="action"]').textContent()).toContain('createUser');
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'explain-create');

    // From a log row: a synced user is found by the rule that matched them, with nothing to do.
    await page.goto(`${console_.origin}/console/tenants/${TENANT}/log?subject=alice.wong`);
    await page.getByRole('link', { name: 'Explain awong@contoso.com' }).click();
    await page.waitForURL(/explain\?subject=alice/);
    expect(await page.textContent('#verdict-title')).toBe('user alice: nothing to do');
    expect(await page.locator('[data-step="match"]').textContent()).toContain('externalId');
    expect(writesIn(platform.calls)).toBe(0);
    expect((await console_.api.stores.runs.list(TENANT, 10)).length).toBe(2);
    await page.close();
  },
);
