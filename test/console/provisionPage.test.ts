import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { SubjectTrace } from '../../src/model/provision.js';
import { silentLogger } from '../../src/observability/logger.js';
import { openBackend, wireTenant } from '../../src/service/compositionRoot.js';
import { apiTestConfig, bearer, TOKENS } from '../api/fixtures.js';
import { scimView } from '../support/scimState.js';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.js';
import {
  chromiumAvailable as available,
  type ConsoleBrowser,
  startConsoleBrowser,
} from './consoleBrowser.js';

/**
 * Provision on demand from the console, as support staff do it: a file tenant in front of a real
 * SCIM platform, its op worker running in this process, the API on a real port and Chromium. The
 * operator types part of a name, picks it from the source's suggestions, runs, and watches the
 * steps arrive; the user is then on the platform. A viewer may look names up but not run.
 */
const DB = 14;
const SCIM_TOKEN = 'scim-token-console-provision-5e1f';
const TENANT = 'support';

let platform: TestPlatform;
let console_: ConsoleBrowser;
let closeWorker: () => Promise<void>;

const person = (id: string, first: string, department = 'Support') => ({
  id,
  userName: `${id}@contoso.com`,
  email: `${first.toLowerCase()}.${id}@mail.contoso.com`,
  displayName: `${first} ${id}`,
  department,
});

beforeAll(async () => {
  platform = await startTestPlatform('emulator', { token: SCIM_TOKEN });
  const directory = mkdtempSync(join(tmpdir(), 'dirsync-console-provision-'));
  const users = [
    person('alice', 'Alice'),
    person('albert', 'Albert'),
    person('alfred', 'Alfred'),
    person('bob', 'Bob'),
    person('oscar', 'Oscar', 'Outside'),
  ];
  const groups = [
    { id: 'g-support', displayName: 'Support', members: ['alice', 'albert', 'alfred', 'bob'] },
    { id: 'g-sales', displayName: 'Sales', members: [] },
  ];
  writeFileSync(join(directory, 'directory.json'), JSON.stringify({ users, groups }));
  const tenants = parseConfig(
    [
      'tenants:',
      `  - id: ${TENANT}`,
      '    source: { type: file, path: ./directory.json, scope: { mode: groups, groups: [Support] } }',
      `    target: { url: "${platform.url}", token: "env:SCIM_TOKEN", maxRequestsPerSecond: 10000 }`,
      '  - id: broken',
      '    source: { type: file, path: ./missing.json }',
      `    target: { url: "${platform.url}", token: "env:SCIM_TOKEN" }`,
    ].join('\n'),
    directory,
    { env: { SCIM_TOKEN } },
  ).tenants;
  console_ = await startConsoleBrowser(DB, { config: { ...apiTestConfig(), tenants } });
  // The op worker of the tenant, as a worker role would run it, on the same Redis database.
  const backend = await openBackend({ url: `${process.env.REDIS_URL}/${DB}` });
  const here = wireTenant(backend, tenants[0]!, silentLogger());
  const worker = await here.startOpWorker();
  closeWorker = async () => {
    await worker.close();
    await here.close();
    await backend.close();
  };
});

afterAll(async () => {
  await closeWorker?.();
  await console_?.close();
  await platform?.close();
});

/** An operator's console session without a browser: its cookie and the CSRF token its pages carry. */
async function operatorSession(): Promise<{ cookie: string; csrf: string }> {
  const signIn = await fetch(`${console_.origin}/console/login`, {
    method: 'POST',
    body: new URLSearchParams({ token: TOKENS.operator }),
    headers: { origin: console_.origin },
    redirect: 'manual',
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const page = await fetch(`${console_.origin}/console/tenants/${TENANT}/provision`, { headers: { cookie } });
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  return { cookie, csrf };
}

describe('the suggestions route', () => {
  const suggestions = (query: string) =>
    console_.api.app.inject({
      method: 'GET',
      url: `/v1/tenants/${TENANT}/suggestions?${query}`,
      headers: bearer(TOKENS.viewer),
    });

  test('answers the users whose name starts with the text, by name, at most the limit, to a viewer', async () => {
    const answer = await suggestions('text=AL&limit=2');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toEqual({
      suggestions: [
        {
          id: 'albert',
          name: 'albert@contoso.com',
          detail: 'Albert albert · albert.albert@mail.contoso.com',
        },
        {
          id: 'alfred',
          name: 'alfred@contoso.com',
          detail: 'Alfred alfred · alfred.alfred@mail.contoso.com',
        },
      ],
    });
    // Not narrowed to the scope: provisioning Oscar shows why he is out of it.
    expect((await suggestions('text=oscar.')).json().suggestions).toEqual([
      expect.objectContaining({ id: 'oscar' }),
    ]);
    expect((await suggestions('kind=group&text=sa')).json().suggestions).toEqual([
      { id: 'g-sales', name: 'Sales', detail: '' },
    ]);
  });

  test('refuses one character, a limit above 20 and an unknown kind, naming the field', async () => {
    for (const [query, field] of [
      ['text=a', 'text'],
      ['text=%20a%20', 'text'],
      ['text=al&limit=21', 'limit'],
      ['text=al&kind=device', 'kind'],
    ] as const) {
      const answer = await suggestions(query);
      expect(answer.statusCode, query).toBe(400);
      expect(answer.json().field, query).toBe(field);
    }
  });

  test('is in the OpenAPI document with its query, and the console pages are not', async () => {
    const document = (await console_.api.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    const operation = document.paths['/v1/tenants/{tenant}/suggestions'].get;
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['kind', 'text', 'limit']),
    );
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '502']));
    expect(Object.keys(document.paths).filter((path) => path.includes('provision/'))).toEqual([]);
  });

  test('answers a source that cannot be read 502, naming the source', async () => {
    const answer = await console_.api.app.inject({
      method: 'GET',
      url: '/v1/tenants/broken/suggestions?text=al',
      headers: bearer(TOKENS.viewer),
    });
    expect(answer.statusCode).toBe(502);
    expect(answer.json()).toMatchObject({ error: 'source' });
  });
});

test.skipIf(!available)(
  'an operator picks a user from the suggestions, runs, and watches its steps arrive until it is on the platform',
  async () => {
    const page = await console_.signedIn(TOKENS.operator);
    await page.goto(`${console_.origin}/console/tenants/${TENANT}`);
    await page.getByRole('link', { name: 'Provision on demand' }).click();
    await page.waitForURL(`**/console/tenants/${TENANT}/provision`);

    const find = page.getByRole('combobox', { name: 'Find users by name' });
    await find.fill('alic');
    const option = page.getByRole('option', { name: /alice@contoso\.com/ });
    await option.waitFor();
    expect(await find.getAttribute('aria-expanded')).toBe('true');
    await find.press('ArrowDown');
    expect(await find.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await find.press('Enter');
    expect(await page.getByLabel('Users, one per line').inputValue()).toBe('alice@contoso.com');
    expect(await find.getAttribute('aria-expanded')).toBe('false');

    // Every status the live region announces, in order.
    await page.evaluate(`{
      const status = document.getElementById('provision-status');
      window.seen = [];
      new MutationObserver(() => window.seen.push(status.textContent)).observe(status, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    }`);
    await page.getByRole('button', { name: 'Run' }).click();
    const trace = page.locator('.trace[data-subject="alice@contoso.com"]');
    await expect.poll(() => trace.getAttribute('data-status'), { timeout: 20_000 }).toBe('success');
    const rows: [string | null, string | null][] = [];
    for (const row of await trace.locator('tbody tr').all()) {
      rows.push([await row.getAttribute('data-step'), await row.getAttribute('data-step-status')]);
    }
    expect(rows).toEqual([
      ['import', 'success'],
      ['scope', 'success'],
      ['mapping', 'success'],
      ['match', 'success'],
      ['action', 'success'],
    ]);
    expect(await trace.locator('tr[data-step="action"]').textContent()).toContain('action=createUser');
    const seen = (await page.evaluate('window.seen')) as string[];
    expect(seen[0]).toContain('Looking the subjects up');
    expect(seen).toContain('Looked up in the source; planning…');
    expect(seen.at(-1)).toBe('Done.');
    expect(await page.locator('.run-link a').count()).toBe(1);

    const users = (await scimView(platform)).users;
    expect(users).toContainEqual(
      expect.objectContaining({ userName: 'alice@contoso.com', externalId: 'alice', active: true }),
    );
    expect(await console_.seriousViolations(page)).toEqual([]);
    await console_.snapshot(page, 'provision');
    await page.close();
  },
);

test.skipIf(!available)(
  'a viewer can look names up on the page but cannot run, even by posting the form',
  async () => {
    const page = await console_.signedIn(TOKENS.viewer);
    await page.goto(`${console_.origin}/console/tenants/${TENANT}/provision`);
    expect(await page.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
    await page.getByRole('combobox', { name: 'Find groups by name' }).fill('Sup');
    await page.getByRole('option', { name: 'Support' }).click();
    expect(await page.getByLabel('Groups, one per line').inputValue()).toBe('Support');
    expect(await console_.seriousViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const answer = await page.request.post(`${console_.origin}/console/tenants/${TENANT}/provision`, {
      form: { csrf, users: 'bob@contoso.com' },
      headers: { origin: console_.origin },
    });
    expect(answer.status()).toBe(403);
    expect((await scimView(platform)).users.map((user) => user.userName)).not.toContain('bob@contoso.com');
    await page.close();
  },
);

test('the steps stream arrives in parts: the import step before the action outcome', async () => {
  const { cookie, csrf } = await operatorSession();
  const response = await fetch(`${console_.origin}/console/tenants/${TENANT}/provision`, {
    method: 'POST',
    body: new URLSearchParams({ csrf, users: 'bob@contoso.com\noscar@contoso.com' }),
    headers: { cookie, origin: console_.origin, accept: 'application/x-ndjson' },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/x-ndjson');
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(decoder.decode(chunk, { stream: true }));
  }
  expect(chunks.length).toBeGreaterThan(1);
  const lines = chunks
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { stage: string; results: SubjectTrace[]; html: string });
  expect(lines.map((line) => line.stage)).toEqual(['imported', 'planned', 'applied']);
  // The first part holds the import steps alone; the outcome comes in a later part.
  expect(chunks[0]).not.toContain('"stage":"applied"');
  const [imported, , applied] = lines;
  expect(imported?.results.map((trace) => trace.steps.map((step) => step.step))).toEqual([
    ['import'],
    ['import'],
  ]);
  const steps = (line: typeof applied, subject: string) =>
    line?.results.find((trace) => trace.subject === subject)?.steps.map((step) => [step.step, step.status]);
  expect(steps(applied, 'bob@contoso.com')).toEqual([
    ['import', 'success'],
    ['scope', 'success'],
    ['mapping', 'success'],
    ['match', 'success'],
    ['action', 'success'],
  ]);
  // Out of scope: the trace says so at its scope step, and nothing is sent.
  expect(steps(applied, 'oscar@contoso.com')).toEqual([
    ['import', 'success'],
    ['scope', 'skipped'],
  ]);
  expect(applied?.html).toContain('Run <a href=');
  const userNames = (await scimView(platform)).users.map((user) => user.userName);
  expect(userNames).toContain('bob@contoso.com');
  expect(userNames).not.toContain('oscar@contoso.com');
});

test('without the script the form posts and the answer page shows the final steps', async () => {
  const { cookie, csrf } = await operatorSession();
  const post = (users: string) =>
    fetch(`${console_.origin}/console/tenants/${TENANT}/provision`, {
      method: 'POST',
      body: new URLSearchParams({ csrf, users, groups: '' }),
      headers: { cookie, origin: console_.origin },
    });
  const answer = await post('albert@contoso.com\n\nnobody@contoso.com\n');
  expect(answer.status).toBe(200);
  const text = await answer.text();
  expect(text).toContain('data-subject="albert@contoso.com" data-status="success"');
  expect(text).toContain('data-subject="nobody@contoso.com" data-status="failure"');
  expect(text).toContain(
    '<textarea id="users" name="users" rows="4">albert@contoso.com\nnobody@contoso.com</textarea>',
  );
  // The API's limit holds here too.
  const tooMany = await post(Array.from({ length: 51 }, (_, index) => `user${index}@contoso.com`).join('\n'));
  expect(tooMany.status).toBe(400);
  expect(await tooMany.text()).toContain('at most 50 subjects');
});
