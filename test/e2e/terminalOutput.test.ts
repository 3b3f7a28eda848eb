import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { runCli } from '../support/cli.js';
import { ensureDevCertificates } from '../support/devCertificates.js';

const SCIM_TOKEN = 'scim-token-terminal-41c2';
const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
/** util-linux `script` gives the CLI a pseudo-terminal for stdout and stderr, as a shell would. */
const hasScript = spawnSync('script', ['--version']).status === 0;

/** Runs the CLI on a pseudo-terminal; what the terminal showed, stdout and stderr together. */
function runAtTerminal(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; screen: string }> {
  const quoted = [process.execPath, CLI, ...args]
    .map((word) => `'${word.replaceAll("'", "'\\''")}'`)
    .join(' ');
  return new Promise((resolveRun, reject) => {
    const child = spawn('script', ['-qefc', quoted, '/dev/null'], {
      env: { ...process.env, DIRSYNC_LOG_LEVEL: 'warn', TERM: 'xterm-256color', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, screen }));
  });
}

describe('dirsync output at a terminal and piped', () => {
  /** One platform per tenant: each starts empty. */
  const emulators: ScimEmulator[] = [];
  let configFile: string;
  const env = () => ({ SCIM_TOKEN, REDIS_URL: process.env.REDIS_URL ?? '' });

  beforeAll(async () => {
    for (let i = 0; i < 4; i++)
      emulators.push(
        await startScimEmulator({
          certificates: ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!),
          token: SCIM_TOKEN,
        }),
      );
    const directory = mkdtempSync(join(tmpdir(), 'dirsync-terminal-'));
    configFile = join(directory, 'dirsync.yaml');
    const users = Array.from({ length: 40 }, (_, i) => ({ id: `u${i}`, userName: `user${i}@example.com` }));
    writeFileSync(
      join(directory, 'directory.json'),
      JSON.stringify({
        users,
        groups: [{ id: 'g1', displayName: 'Everyone', members: users.map((user) => user.id) }],
      }),
    );
    writeFileSync(
      configFile,
      [
        'tenants:',
        ...['tty', 'piped', 'provision-tty', 'provision-piped'].flatMap((id, at) => [
          `  - id: ${id}`,
          '    source: { type: file, path: ./directory.json }',
          `    target: { url: "${emulators[at]!.url}", token: "env:SCIM_TOKEN" }`,
        ]),
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await Promise.all(emulators.map((emulator) => emulator.close()));
  });

  test.skipIf(!hasScript)('a terminal gets a progress line on stderr and tables on stdout', async () => {
    const sync = await runAtTerminal(['--config', configFile, 'sync', 'tty', '--inline', '--full'], env());
    expect(sync.code, sync.screen).toBe(0);
    // The progress line is drawn in place: done/total of the run's ops.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape codes are what is tested
    expect(sync.screen).toMatch(/\r\x1b\[2K\[tty\] (running|succeeded)[^\r\n]* · 41\/41 ops 100%/);
    expect(sync.screen).toMatch(/\n {2}op +planned +succeeded +failed\r?\n {2}─+ +─+/);
    expect(sync.screen).toMatch(/\n {2}createUser +40 +40 +0\r?\n/);

    const runs = await runAtTerminal(['--config', configFile, 'runs', 'tty'], env());
    expect(runs.screen).toMatch(/run +created +status +mode +applied +failed +took\r?\n─+/);
    expect(runs.screen).toMatch(/succeeded +full +41 +0 +[\d.]+ s/);
  });

  test.skipIf(!hasScript)("explain at a terminal is a table of the subject's steps", async () => {
    const explain = await runAtTerminal(
      ['--config', configFile, 'explain', 'tty', 'user7@example.com'],
      env(),
    );
    expect(explain.code, explain.screen).toBe(0);
    expect(explain.screen).toContain('user user7@example.com: SUCCESS');
    expect(explain.screen).toMatch(/\n {2}step +status +details\r?\n {2}─+ +─+/);
    expect(explain.screen).toMatch(
      /\n {2}scope +success +inScope=true reason=all users are in scope rule=all users/,
    );
    expect(explain.screen).toMatch(/\n {2}mapping +success +active=true userName=user7@example\.com/);
    expect(explain.screen).toMatch(/\n {2}action +success +action=/);
  });

  test.skipIf(!hasScript)("provisioning at a terminal shows the run's progress line", async () => {
    const provision = await runAtTerminal(
      [
        '--config',
        configFile,
        'provision',
        'provision-tty',
        '--user',
        'user1@example.com',
        '--user',
        'u2',
        '--inline',
      ],
      env(),
    );
    expect(provision.code, provision.screen).toBe(0);
    // The run's done/total, not only the time taken: both users created.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape codes are what is tested
    expect(provision.screen).toMatch(/\r\x1b\[2K\[provision-tty\] succeeded[^\r\n]* · 2\/2 ops 100%/);
    expect(provision.screen).toContain('user user1@example.com: SUCCESS');
  });

  test('piped, provisioning shows no progress and no terminal codes', async () => {
    const provision = await runCli(
      [
        '--config',
        configFile,
        'provision',
        'provision-piped',
        '--user',
        'user1@example.com',
        '--user',
        'u2',
        '--inline',
      ],
      env(),
    );
    expect(provision.code, provision.stderr).toBe(0);
    expect(provision.stdout).toMatch(/^provisioning run \S+\n/);
    // Logs may reach stderr; a progress line may not, nor any terminal escape code.
    for (const stream of [provision.stdout, provision.stderr]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: no terminal escape code may reach a pipe
      expect(stream).not.toMatch(/\x1b|\r|ops\/s|ETA| ops |provisioning \d/);
    }
  });

  test('piped, the output has no progress and no terminal codes, and reads as before', async () => {
    const sync = await runCli(['--config', configFile, 'sync', 'piped', '--inline', '--full'], env());
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toContain('  createUser      planned     40 succeeded     40 failed      0');
    expect(sync.stderr).toBe('');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no terminal escape code may reach a pipe
    expect(sync.stdout).not.toMatch(/\x1b|\r|ops\/s|ETA/);

    const json = await runCli(
      ['--config', configFile, '--json', 'sync', 'piped', '--inline', '--full'],
      env(),
    );
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ tenant: 'piped', status: 'succeeded' });
  });
});
