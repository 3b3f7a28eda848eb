import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExplainAnswer } from '../../src/model/explain.js';
import { runCli } from '../support/cli.js';
import { writesIn } from '../support/scimState.js';
import { PLATFORM_KINDS, startTestPlatform, type TestPlatform } from '../support/testPlatform.js';

const SCIM_TOKEN = 'scim-token-explain-7e4d';

const staff = (id: string, department: string) => ({
  id,
  userName: `${id}@contoso.com`,
  email: `${id}@contoso.com`,
  title: 'Engineer',
  department,
});

describe.each(PLATFORM_KINDS)('dirsync explain against the %s SCIM platform: a dry-run trace', (kind) => {
  let platform: TestPlatform;
  let configFile: string;
  let unclaimedId: string;
  // A tenant of this suite alone: its run history must stay empty whatever other suites record.
  const tenant = `explain-${kind}`;
  const explain = (...args: string[]) =>
    runCli(['--config', configFile, '--json', 'explain', tenant, ...args], { SCIM_TOKEN });
  const answerOf = (stdout: string) => JSON.parse(stdout) as ExplainAnswer;
  const step = (answer: ExplainAnswer, name: string) => answer.steps.find((each) => each.step === name);

  beforeAll(async () => {
    platform = await startTestPlatform(kind, { token: SCIM_TOKEN });
    const directory = mkdtempSync(join(tmpdir(), 'dirsync-explain-'));
    configFile = join(directory, 'dirsync.yaml');
    const dave = { ...staff('dave', 'Sales'), email: 'shared@contoso.com' };
    const users = [staff('alice', 'Sales'), staff('henry', 'HR'), staff('carol', 'Sales'), dave];
    const groups = [{ id: 'g-staff', displayName: 'Staff', members: users.map((user) => user.id) }];
    writeFileSync(join(directory, 'directory.json'), JSON.stringify({ users, groups }));
    writeFileSync(
      configFile,
      [
        'tenants:',
        `  - id: ${tenant}`,
        '    source:',
        '      type: file',
        '      path: ./directory.json',
        '      scope: { mode: groups, groups: [Staff] }',
        '      filters: [{ attribute: department, op: in, value: [Sales] }]',
        `    target: { url: "${platform.url}", token: "env:SCIM_TOKEN" }`,
      ].join('\n'),
    );
    // carol's account was made on the platform by hand; two accounts share the address dave has.
    unclaimedId = String((await platform.seedUser({ userName: 'carol@contoso.com', title: 'Intern' })).id);
    const sharedEmail = { emails: [{ value: 'shared@contoso.com', type: 'work', primary: true }] };
    await platform.seedUser({ userName: 'dave.one@contoso.com', ...sharedEmail });
    await platform.seedUser({ userName: 'dave.two@contoso.com', ...sharedEmail });
    platform.resetCalls();
  });

  afterAll(async () => {
    await platform?.close();
  });

  test('an in-scope user not on the platform yet would be created with its mapped values', async () => {
    const result = await explain('alice@contoso.com');
    expect(result.code, result.stderr).toBe(0);
    const answer = answerOf(result.stdout);
    expect(answer).toMatchObject({ tenant, dryRun: true, subject: 'alice@contoso.com' });
    expect(answer.steps.map((each) => [each.step, each.status])).toEqual([
      ['import', 'success'],
      ['scope', 'success'],
      ['mapping', 'success'],
      ['match', 'success'],
      ['action', 'success'],
    ]);
    expect(step(answer, 'scope')!.details).toMatchObject({
      inScope: true,
      rule: 'members of the scope groups [Staff]',
      decidedBy: 'member of scoped group Staff',
      filters: [{ filter: 'department in [Sales]', passed: true, actual: 'Sales' }],
    });
    expect(step(answer, 'mapping')!.details).toMatchObject({
      active: true,
      attributes: {
        userName: 'alice@contoso.com',
        title: 'Engineer',
        'emails[type eq "work"].value': 'alice@contoso.com',
      },
    });
    expect(step(answer, 'match')!.details).toMatchObject({ matchedBy: null });
    expect(step(answer, 'action')!.details).toMatchObject({ action: 'createUser' });
  });

  test('an out-of-scope user stops at scope, naming the filter and the value that decided', async () => {
    const result = await explain('henry');
    expect(result.code, result.stderr).toBe(0);
    const answer = answerOf(result.stdout);
    expect(answer.status).toBe('skipped');
    expect(answer.steps.at(-1)).toEqual({
      step: 'scope',
      status: 'skipped',
      details: {
        inScope: false,
        reason: 'filtered out: department not in [Sales]',
        rule: 'members of the scope groups [Staff]',
        decidedBy: "filter department in [Sales] failed: department is 'HR'",
        filters: [{ filter: 'department in [Sales]', passed: false, actual: 'HR' }],
        detail: 'no platform account',
      },
    });
  });

  test('a user whose userName an unclaimed platform account holds would adopt it', async () => {
    const answer = answerOf((await explain('carol@contoso.com')).stdout);
    expect(step(answer, 'match')!.details).toMatchObject({ matchedBy: 'userName', targetId: unclaimedId });
    expect(step(answer, 'action')!.details).toMatchObject({
      action: 'updateUser',
      changes: expect.arrayContaining([{ path: 'title', from: 'Intern', to: 'Engineer' }]),
    });
  });

  test('a user two platform accounts could be is a conflict at match, and the command fails', async () => {
    const result = await explain('dave');
    expect(result.code).toBe(1);
    const answer = answerOf(result.stdout);
    expect(answer.status).toBe('failure');
    expect(answer.steps.at(-1)).toEqual({
      step: 'match',
      status: 'failure',
      details: { reason: 'conflict: 2 platform users match by email shared@contoso.com' },
    });
  });

  test('prints one line per step for a person, and changed nothing anywhere', async () => {
    const human = await runCli(['--config', configFile, 'explain', tenant, 'henry'], { SCIM_TOKEN });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`explain ${tenant} (dry run: nothing applied)`);
    expect(human.stdout).toMatch(
      /^ {2}scope +skipped .*decidedBy=filter department in \[Sales\] failed: department is 'HR'/m,
    );
    expect(human.stdout).toContain("filters=department in [Sales]: FAIL ('HR')");

    expect(writesIn(platform.calls)).toBe(0);
    expect(platform.calls.length).toBeGreaterThan(0);
    const runs = await runCli(['--config', configFile, '--json', 'runs', tenant], { SCIM_TOKEN });
    expect(runs.code, runs.stderr).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });

  test('an empty or overlong subject is bad usage', async () => {
    expect((await explain('')).code).toBe(2);
    expect((await explain('x'.repeat(1025))).code).toBe(2);
  });
});
