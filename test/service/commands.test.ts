import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { runCli } from '../support/cli.js';
import { ensureDevCertificates } from '../support/devCertificates.js';

let emulator: ScimEmulator;
let directory: string;
let configFile: string;

beforeAll(async () => {
  emulator = await startScimEmulator({
    certificates: ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!),
    token: 'right-token',
  });
  directory = mkdtempSync(join(tmpdir(), 'dirsync-commands-'));
  configFile = join(directory, 'dirsync.yaml');
  const source = join(process.cwd(), 'config', 'demo', 'directory.json');
  writeFileSync(
    configFile,
    `redis: { url: "${process.env.REDIS_URL}/9" }
tenants:
  - id: desk
    source: { type: file, path: ${source} }
    target: { url: "${emulator.url}", token: env:DESK_SCIM }
  - id: lost
    source: { type: file, path: ${join(directory, 'missing.json')} }
    target: { url: "${emulator.url}", token: env:DESK_SCIM }
`,
  );
});
afterAll(async () => {
  await emulator?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('dirsync test-connection', () => {
  it('prints each check and exits 0 when source and target answer', async () => {
    const result = await runCli(['test-connection', 'desk', '--config', configFile], {
      DESK_SCIM: 'right-token',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok {3}source · read directory file: .*5 users, 3 groups/);
    expect(result.stdout).toMatch(/ok {3}target · SCIM service provider config/);
    expect(result.stdout).toMatch(/ok {3}target · read Users/);
  });

  it('reports what the platform supports, and warns of a missing capability dirsync relies on', async () => {
    const plain = await runCli(['test-connection', 'desk', '--config', configFile, '--json'], {
      DESK_SCIM: 'right-token',
    });
    expect(JSON.parse(plain.stdout)).toMatchObject({
      ok: true,
      capabilities: { patch: true, filter: true, maxResults: 100, sort: false, etag: false, bulk: false },
      warnings: [],
    });
    emulator.store.quirks = { refuseFilters: 'all' };
    try {
      const result = await runCli(['test-connection', 'desk', '--config', configFile], {
        DESK_SCIM: 'right-token',
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /ok {3}target · SCIM service provider config: PATCH supported, filter not supported, sort not supported, ETag not supported, bulk not supported/,
      );
      expect(result.stdout).toMatch(
        /warn the platform does not advertise filtering: .*reading every user or group/,
      );
      expect(result.stdout).toMatch(/ok {3}target · read Users/);
    } finally {
      emulator.store.quirks = {};
    }
  });

  it('exits 1 naming the failing checks: a refused token, a missing file', async () => {
    const refused = await runCli(['test-connection', 'desk', '--config', configFile, '--json'], {
      DESK_SCIM: 'wrong-token',
    });
    expect(refused.code).toBe(1);
    const report = JSON.parse(refused.stdout);
    expect(report.ok).toBe(false);
    expect(
      report.checks
        .filter((check: { ok: boolean }) => !check.ok)
        .map((check: { side: string }) => check.side),
    ).toContain('target');
    expect(refused.stdout).not.toContain('wrong-token');
    const lost = await runCli(['test-connection', 'lost', '--config', configFile], {
      DESK_SCIM: 'right-token',
    });
    expect(lost.code).toBe(1);
    expect(lost.stdout).toMatch(/FAIL source · read directory file: .*ENOENT/);
  });
});

describe('dirsync provision, when the platform refuses', () => {
  it('prints the platform reason and exits 1', async () => {
    const refused = await runCli(
      ['provision', 'desk', '--user', 'ada@example.com', '--inline', '--config', configFile, '--json'],
      { DESK_SCIM: 'wrong-token' },
    );
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      ok: false,
      error: 'platform',
      status: 401,
      detail: expect.stringContaining('a valid bearer token is required'),
    });
    expect(refused.stderr).toMatch(/error: platform answered 401/);
    expect(refused.stdout + refused.stderr).not.toContain('wrong-token');
  });
});

describe('dirsync approve and start, refusing what they cannot do', () => {
  it('approve exits 1 for a run that does not exist', async () => {
    const result = await runCli(['approve', 'desk', 'no-such-run', '--config', configFile], {
      DESK_SCIM: 'right-token',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no run no-such-run of tenant desk');
  });

  it('start exits 2 for an unknown role', async () => {
    const result = await runCli(['start', '--role', 'janitor', '--config', configFile], {
      DESK_SCIM: 'right-token',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--role must be all, worker, scheduler or api');
  });
});
