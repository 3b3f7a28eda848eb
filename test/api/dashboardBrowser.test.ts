import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ApiHarness, startApiHarness, TOKENS } from './fixtures.js';

/**
 * The queue dashboard as a person sees it: Debian's headless Chromium signs in through
 * /admin/login, follows the redirect, runs bull-board's page and lists dirsync's queues.
 * CI installs chromium; elsewhere the test is skipped with a note when there is none.
 */
const chromium = spawnSync('chromium', ['--version']).error ? undefined : 'chromium';
if (!chromium && process.env.CI) throw new Error('chromium is required in CI (.ci/run installs it)');

let api: ApiHarness;
let origin: string;

beforeAll(async () => {
  api = await startApiHarness(6);
  await api.queues.ops('alpha').waitUntilReady();
  origin = await api.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await api?.close();
});

/** Chromium's rendered DOM of `url`; asynchronous, since the API answering it runs in this process. */
function renderedDom(url: string): Promise<string> {
  return new Promise((resolveDom, reject) => {
    execFile(
      chromium!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${mkdtempSync(join(tmpdir(), 'dirsync-chromium-'))}`,
        '--virtual-time-budget=8000',
        '--dump-dom',
        url,
      ],
      { encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolveDom(stdout),
    );
  });
}

test.skipIf(!chromium)('the dashboard page loads in headless Chromium and shows the queues', async () => {
  const dom = await renderedDom(`${origin}/admin/login?token=${TOKENS.operator}`);
  expect(dom).toContain('dirsync-reconcile');
  expect(dom).toContain('dirsync-ops-alpha');
  expect(dom).not.toContain(TOKENS.operator);
});

test.skipIf(!chromium)(
  'without a sign-in, Chromium sees no queue, and the sign-in page asks for a token',
  async () => {
    expect(await renderedDom(`${origin}/admin/queues`)).not.toContain('dirsync-reconcile');
    expect(await renderedDom(`${origin}/admin/login`)).toMatch(/<form[^>]*>[\s\S]*name="token"/);
  },
);

test.skipIf(!chromium)(
  'the API docs page runs Swagger UI under its policy and lists the operations',
  async () => {
    const dom = await renderedDom(`${origin}/docs`);
    expect(dom).toContain('dirsync admin API');
    expect(dom).toContain('/v1/tenants/{tenant}/runs/{runId}/approve');
    expect(dom).toContain('Authorize');
  },
);
