import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExplainAnswer } from '../../src/model/explain.js';
import type { ProvisionAnswer, SubjectTrace } from '../../src/model/provision.js';
import type { RunRecord } from '../../src/model/run.js';
import { runCli } from '../support/cli.js';
import { scimView, writesIn } from '../support/scimState.js';
import { PLATFORM_KINDS, startTestPlatform, type TestPlatform } from '../support/testPlatform.js';

const SCIM_TOKEN = 'scim-token-in-sync-5a0e';

const person = (id: string) => ({ id, userName: `${id}@contoso.com`, email: `${id}@contoso.com` });

describe.each(PLATFORM_KINDS)(
  'dirsync provision and explain, on the %s SCIM platform, of subjects already in sync',
  (kind) => {
    let platform: TestPlatform;
    let configFile: string;
    // A tenant of this suite alone, so that its runs are this suite's.
    const tenant = `in-sync-${kind}`;
    const cli = (...args: string[]) => runCli(['--config', configFile, '--json', ...args], { SCIM_TOKEN });
    const actionOf = (trace: SubjectTrace) => trace.steps.find((step) => step.step === 'action')?.details;

    /** Provisions the subjects, and answers the traces and the run's op counts. */
    async function provision(...args: string[]) {
      const result = await cli('provision', tenant, '--inline', ...args);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const answer = JSON.parse(result.stdout) as ProvisionAnswer;
      const run = await cli('run', tenant, answer.runId);
      expect(run.code, run.stderr).toBe(0);
      return { answer, counts: (JSON.parse(run.stdout) as RunRecord).counts };
    }

    beforeAll(async () => {
      platform = await startTestPlatform(kind, { token: SCIM_TOKEN });
      const directory = mkdtempSync(join(tmpdir(), 'dirsync-in-sync-'));
      configFile = join(directory, 'dirsync.yaml');
      // Ada is in Support through its nested Tier 1 team, and in Sales directly.
      const groups = [
        { id: 'g-support', displayName: 'Support team 5', members: ['g-tier1', 'bo'] },
        { id: 'g-tier1', displayName: 'Tier 1', members: ['ada'] },
        { id: 'g-sales', displayName: 'Sales', members: ['ada', 'cy'] },
      ];
      writeFileSync(
        join(directory, 'directory.json'),
        JSON.stringify({ users: [person('ada'), person('bo'), person('cy')], groups }),
      );
      writeFileSync(
        configFile,
        [
          'tenants:',
          `  - id: ${tenant}`,
          '    source: { type: file, path: ./directory.json }',
          `    target: { url: "${platform.url}", token: "env:SCIM_TOKEN" }`,
        ].join('\n'),
      );
      const first = await runCli(['--config', configFile, 'sync', tenant, '--inline', '--full'], {
        SCIM_TOKEN,
      });
      expect(first.code, first.stdout + first.stderr).toBe(0);
      const support = (await scimView(platform)).groups.find(
        (group) => group.displayName === 'Support team 5',
      );
      expect(support?.members).toEqual(['ada@contoso.com', 'bo@contoso.com']);
    });

    afterAll(async () => {
      await platform?.close();
    });

    test('a user who is a member of groups, nested ones included, is left as it is: no op at all', async () => {
      platform.resetCalls();
      const { answer, counts } = await provision('--user', 'ada@contoso.com');
      expect(answer.results).toHaveLength(1);
      expect(actionOf(answer.results[0]!)).toMatchObject({ action: 'none' });
      expect(counts).toEqual({});
      expect(writesIn(platform.calls)).toBe(0);
    });

    test('a group whose members are all in place is left as it is, and so are its members', async () => {
      platform.resetCalls();
      const { answer, counts } = await provision('--group', 'Support team 5');
      expect(actionOf(answer.results[0]!)).toMatchObject({
        action: 'none',
        membersAdded: 0,
        membersRemoved: 0,
      });
      expect(counts).toEqual({});
      expect(writesIn(platform.calls)).toBe(0);
    });

    test('explain says none for the user and for its groups', async () => {
      const explained = async (...args: string[]) => {
        const result = await cli('explain', tenant, ...args);
        expect(result.code, result.stderr).toBe(0);
        return actionOf(JSON.parse(result.stdout) as ExplainAnswer);
      };
      expect(await explained('ada@contoso.com')).toMatchObject({ action: 'none' });
      for (const group of ['Support team 5', 'Tier 1', 'Sales']) {
        expect(await explained('--group', group), group).toMatchObject({
          action: 'none',
          membersAdded: 0,
          membersRemoved: 0,
        });
      }
    });
  },
);
