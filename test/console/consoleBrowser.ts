import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type ApiHarness, type HarnessOptions, startApiHarness } from '../api/fixtures.js';

/**
 * Debian's headless Chromium, driven by Playwright, against the API listening on a real port: what
 * every console browser test starts from. CI installs chromium; elsewhere the tests skip without it.
 */
const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = !spawnSync(CHROMIUM, ['--version']).error;
if (!chromiumAvailable && process.env.CI) throw new Error('chromium is required in CI (.ci/run installs it)');

/** Each page's screenshot, kept as a test artifact. */
export const SCREENSHOTS = join(process.cwd(), '.tmp', 'console-screenshots');
const AXE_SCRIPT = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface ConsoleBrowser {
  readonly api: ApiHarness;
  readonly origin: string;
  readonly browser: Browser;
  /** A fresh browser context signed in with `token`, on the tenants page. */
  signedIn(token: string): Promise<Page>;
  /** axe-core's serious and critical violations on the page as it stands. */
  seriousViolations(page: Page): Promise<string[]>;
  snapshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** The API over its own Redis database `db` (see startApiHarness), and a browser pointed at it. */
export async function startConsoleBrowser(db: number, options: HarnessOptions = {}): Promise<ConsoleBrowser> {
  const api = await startApiHarness(db, options);
  const origin = await api.app.listen({ host: '127.0.0.1', port: 0 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({
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
  return {
    api,
    origin,
    browser,
    async signedIn(token) {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      await page.goto(`${origin}/console`);
      expect(new URL(page.url()).pathname).toBe('/console/login');
      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${origin}/console`);
      return page;
    },
    async seriousViolations(page) {
      // Evaluated through the DevTools protocol: the console's CSP rightly refuses an injected <script>.
      await page.evaluate(AXE_SCRIPT);
      return page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> };
          }
        ).axe;
        const result = await axe.run();
        return result.violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map((violation) => violation.id);
      });
    },
    async snapshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await api.close();
    },
  };
}
