import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ProvisionAnswer } from '../../src/model/provision.js';
import { runCli } from '../support/cli.js';
import { scimView } from '../support/scimState.js';
import { PLATFORM_KINDS, startTestPlatform, type TestPlatform } from '../support/testPlatform.js';

const SCIM_TOKEN = 'scim-token-provision-1b2c';

describe.each(PLATFORM_KINDS)(
  'dirsync provision into the %s SCIM platform: on demand, with a step trace',
  (kind) => {
    let platform: TestPlatform;
    let directory: string;
    let configFile: string;
    const provision = (...args: string[]) =>
      runCli(['--config', configFile, '--json', 'provision', 'support', '--inline', ...args], { SCIM_TOKEN });
    const writeDirectory = (users: object[], groups: object[]) =>
      writeFileSync(join(directory, 'directory.json'), JSON.stringify({ users, groups }));
    const answerOf = (stdout: string) => JSON.parse(stdout) as ProvisionAnswer;

    beforeAll(async () => {
      platform = await startTestPlatform(kind, { token: SCIM_TOKEN });
      directory = mkdtempSync(join(tmpdir(), 'dirsync-provision-'));
      configFile = join(directory, 'dirsync.yaml');
      writeFileSync(
        configFile,
        [
          'tenants:',
          '  - id: support',
          '    source: { type: file, path: ./directory.json, scope: { mode: groups, groups: [Staff] } }',
          `    target: { url: "${platform.url}", token: "env:SCIM_TOKEN" }`,
        ].join('\n'),
      );
    });

    afterAll(async () => {
      await platform?.close();
    });

    test('a user is created, then updated with from/to changes, then deprovisioned when disabled', async () => {
      const alice = {
        id: 'a1',
        userName: 'alice@contoso.com',
        email: 'alice@contoso.com',
        title: 'Engineer',
      };
      const staff = { id: 'g-staff', displayName: 'Staff', members: ['a1', 'g-nested'] };
      const nested = { id: 'g-nested', displayName: 'Nested', members: ['b2'] };
      const bob = { id: 'b2', userName: 'bob@contoso.com' };
      const outsider = { id: 'o3', userName: 'outsider@contoso.com' };
      writeDirectory([alice, bob, outsider], [staff, nested]);

      const created = await provision('--user', 'alice@contoso.com');
      expect(created.code, created.stderr).toBe(0);
      const [first] = answerOf(created.stdout).results;
      expect(first).toMatchObject({ subject: 'alice@contoso.com', status: 'success' });
      expect(first!.steps.map((step) => [step.step, step.status])).toEqual([
        ['import', 'success'],
        ['scope', 'success'],
        ['mapping', 'success'],
        ['match', 'success'],
        ['action', 'success'],
      ]);
      expect(first!.steps[1]!.details).toMatchObject({ inScope: true });
      expect(first!.steps[2]!.details).toMatchObject({
        attributes: { userName: 'alice@contoso.com', title: 'Engineer' },
      });
      expect(first!.steps[4]!.details).toMatchObject({ action: 'createUser' });
      expect((await scimView(platform)).users).toEqual([
        {
          userName: 'alice@contoso.com',
          externalId: 'a1',
          active: true,
          email: 'alice@contoso.com',
          title: 'Engineer',
        },
      ]);

      writeDirectory([{ ...alice, title: 'Lead' }, bob, outsider], [staff, nested]);
      const updated = answerOf((await provision('--user', 'a1')).stdout).results[0]!;
      expect(updated.steps[3]!.details).toMatchObject({ matchedBy: 'externalId' });
      expect(updated.steps[4]!.details).toMatchObject({
        action: 'updateUser',
        changes: [{ path: 'title', from: 'Engineer', to: 'Lead' }],
      });

      writeDirectory([{ ...alice, title: 'Lead', active: false }, bob, outsider], [staff, nested]);
      const disabled = answerOf((await provision('--user', 'alice@contoso.com')).stdout).results[0]!;
      expect(disabled.status).toBe('success');
      expect(disabled.steps.at(-1)!.details).toMatchObject({ action: 'deactivateUser' });
      expect((await scimView(platform)).users[0]).toMatchObject({
        userName: 'alice@contoso.com',
        active: false,
      });
    });

    test('an out-of-scope user it does not manage stops at scope; an unknown one fails at import', async () => {
      const result = await provision('--user', 'outsider@contoso.com', '--user', 'nobody@contoso.com');
      expect(result.code).toBe(1);
      const [outsider, nobody] = answerOf(result.stdout).results;
      expect(outsider).toMatchObject({ status: 'skipped' });
      expect(outsider!.steps.at(-1)).toMatchObject({ step: 'scope', status: 'skipped' });
      expect(nobody).toMatchObject({ status: 'failure', steps: [{ step: 'import', status: 'failure' }] });
      expect((await scimView(platform)).users.map((user) => user.userName)).not.toContain(
        'outsider@contoso.com',
      );
    });

    test('a group is provisioned with its nested members flattened', async () => {
      const result = await provision('--group', 'Staff');
      expect(result.code, result.stderr).toBe(0);
      expect(answerOf(result.stdout).results[0]).toMatchObject({ kind: 'group', status: 'success' });
      const staff = (await scimView(platform)).groups.find((group) => group.displayName === 'Staff');
      expect(staff?.members).toEqual(['alice@contoso.com', 'bob@contoso.com']);
    });

    test('more than 50 subjects is bad usage', async () => {
      const args = Array.from({ length: 51 }, (_, index) => ['--user', `u${index}`]).flat();
      const result = await provision(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/at most 50 subjects/);
    });
  },
);
