import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { HOSTILE_CONFIGS, type HostileConfig, VALID_ENV, validConfig } from './hostileConfigs.js';

/**
 * `dirsync check-config` against configurations an operator might really write: every malformed
 * one exits 2 and names the offending field's path with the reason, and never echoes a secret.
 */
const root = mkdtempSync(join(tmpdir(), 'dirsync-check-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let written = 0;
/** Each case in a file of its own, in one directory that relative `file:` references resolve from. */
function writeConfig(text: () => string): string {
  const file = join(root, `config-${written++}.yaml`);
  writeFileSync(file, text());
  return file;
}

function checkConfig(file: string, env: Readonly<Record<string, string>> = {}, ...extra: string[]) {
  return runCli(['check-config', '--config', file, ...extra], { ...VALID_ENV, ...env });
}

/** Every secret value a case could carry, inline or through the environment. */
const SECRET_VALUES = [...Object.values(VALID_ENV), 'sk-live-inline-0123456789', 'admin-inline-0123456789'];

describe('dirsync check-config on a valid configuration', () => {
  it('exits 0 and lists the tenants', async () => {
    const result = await checkConfig(writeConfig(() => stringify(validConfig())));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok, 3 tenant\(s\)/);
  });

  it('answers --json with a parseable document naming each tenant and its source', async () => {
    const file = writeConfig(() => stringify(validConfig()));
    const result = await checkConfig(file, {}, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: true,
      config: file,
      tenants: [
        { id: 'hr-export', source: 'file' },
        { id: 'contoso', source: 'graph' },
        { id: 'acme', source: 'okta' },
      ],
    });
  });
});

describe.concurrent(`dirsync check-config on ${HOSTILE_CONFIGS.length} malformed configurations`, () => {
  it.each(HOSTILE_CONFIGS.map((hostile) => [hostile.name, hostile] as const))(
    '%s: exits 2 naming the path and the reason',
    async (_name, hostile: HostileConfig) => {
      const result = await checkConfig(writeConfig(hostile.text), hostile.env);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      const problems = result.stderr.trimEnd().split('\n');
      const problem = problems.find((line) => line.startsWith(`${hostile.path}:`));
      expect(problem, `no problem names ${hostile.path}:\n${result.stderr}`).toBeDefined();
      expect(problem!.slice(hostile.path.length + 1)).toMatch(hostile.reason);
      for (const secret of SECRET_VALUES) expect(result.stderr).not.toContain(secret);
    },
  );
});

describe('dirsync check-config on configurations that break more than once, or not at all', () => {
  it('reports every problem of a configuration at once, each by its path', async () => {
    const config = validConfig();
    const [first, second] = config.tenants as Record<string, unknown>[];
    first!.id = 'HR';
    second!.target = { url: 'http://platform.example.com/scim/v2', token: 'env:HOSTILE_SCIM_TOKEN' };
    const result = await checkConfig(writeConfig(() => stringify(config)));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('tenants[0].id: must match [a-z0-9-]+');
    expect(result.stderr).toContain('tenants[1].target.url: must be an https:// URL');
  });

  it('answers --json for a malformed configuration with the same problems, parseable', async () => {
    const config = validConfig();
    (config.tenants as Record<string, unknown>[])[2]!.id = 'contoso';
    const result = await checkConfig(
      writeConfig(() => stringify(config)),
      {},
      '--json',
    );
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      problems: ['tenants[2].id: duplicate tenant id "contoso"'],
    });
  });

  it.each([
    ['empty', ''],
    ['whitespace-only', ' \n\t\n'],
  ])('exits 2 for an admin token read from an %s file, naming its path', async (_kind, content) => {
    writeFileSync(join(root, 'blank-admin-token'), content);
    const config = validConfig();
    ((config.api as Record<string, unknown>).tokens as Record<string, unknown>[])[0]!.token =
      'file:./blank-admin-token';
    const result = await checkConfig(writeConfig(() => stringify(config)));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('api.tokens[0].token: the secret (file ./blank-admin-token) is empty');
  });

  it('exits 2 when the configuration file is missing, naming the file', async () => {
    const file = join(root, 'nowhere', 'dirsync.yaml');
    const result = await checkConfig(file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: cannot read the configuration file (ENOENT)`);
  });
});
