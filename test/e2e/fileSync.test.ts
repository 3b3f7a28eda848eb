import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { scimView, writesIn } from '../support/scimState.js';
import { PLATFORM_KINDS, startTestPlatform, type TestPlatform } from '../support/testPlatform.js';
import { onEachRedis, openTestRedis, type TestRedis } from '../support/testRedis.js';

const SCIM_TOKEN = 'scim-token-e2e-7f3a9c';

interface FileUser {
  id: string;
  userName: string;
  email?: string;
  givenName?: string;
  familyName?: string;
  displayName?: string;
  title?: string;
  department?: string;
  employeeId?: string;
  active?: boolean;
}

const ada: FileUser = {
  id: 'u1',
  userName: 'ada@example.com',
  email: 'ada@example.com',
  givenName: 'Ada',
  familyName: 'Lovelace',
  displayName: 'Ada Lovelace',
  title: 'Engineer',
  department: 'Engineering',
  employeeId: '1001',
};
const grace: FileUser = {
  id: 'u2',
  userName: 'grace@example.com',
  email: 'grace@example.com',
  givenName: 'Grace',
  familyName: 'Hopper',
  title: 'Lead',
  department: 'Engineering',
};
const alan: FileUser = {
  id: 'u3',
  userName: 'alan@example.com',
  givenName: 'Alan',
  familyName: 'Turing',
  department: 'Research',
};
const katherine: FileUser = {
  id: 'u4',
  userName: 'katherine@example.com',
  givenName: 'Katherine',
  active: false,
};
const quoted: FileUser = {
  id: 'u5',
  userName: 'o"brien\\x@example.com',
  email: "o'brien@example.com",
  displayName: 'Siobhán "Shiv" O\'Brien',
};

describe.each(onEachRedis(PLATFORM_KINDS))(
  'dirsync sync --inline from a file source into the $kind SCIM platform, on $redis',
  ({ kind, redis: redisKind }) => {
    let platform: TestPlatform;
    let redis: TestRedis;
    let directory: string;
    let configFile: string;
    const env = () => ({ SCIM_TOKEN });
    const sync = (...extra: string[]) =>
      runCli(['--config', configFile, 'sync', 'hr', '--inline', ...extra], env());
    const writeDirectory = (
      users: FileUser[],
      groups: { id: string; displayName: string; members: string[] }[],
    ) => writeFileSync(join(directory, 'directory.json'), JSON.stringify({ users, groups }));

    beforeAll(async () => {
      platform = await startTestPlatform(kind, { token: SCIM_TOKEN, pageCap: 2 });
      redis = await openTestRedis(redisKind);
      directory = mkdtempSync(join(tmpdir(), 'dirsync-e2e-'));
      configFile = join(directory, 'dirsync.yaml');
      writeFileSync(
        configFile,
        [
          redis.configLine,
          'tenants:',
          '  - id: hr',
          '    source: { type: file, path: ./directory.json }',
          `    target: { url: "${platform.url}", token: "env:SCIM_TOKEN" }`,
          '    safety: { maxDeactivations: 10, maxDeactivationRatio: 0.9 }',
        ].join('\n'),
      );
    });

    afterAll(async () => {
      await platform?.close();
      await redis?.stop();
    });

    test('first sync creates exactly the in-scope state, a changed file converges, a third run writes nothing', async () => {
      writeDirectory(
        [ada, grace, alan, katherine, quoted],
        [
          { id: 'g-eng', displayName: 'Engineering', members: ['u1', 'u2'] },
          { id: 'g-res', displayName: 'Research', members: ['u3', 'u4'] },
          { id: 'g-all', displayName: 'Everyone', members: ['g-eng', 'g-res', 'u5'] },
        ],
      );
      const first = await sync('--full');
      expect(first.stderr).not.toContain(SCIM_TOKEN);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      // The summary says where the run's time went.
      expect(first.stdout).toMatch(
        /took [\d.]+ s \(import [\d.]+ s, plan [\d.]+ s, users [\d.]+ s, groups [\d.]+ s\)/,
      );
      // Members, not ops: Engineering's two, Everyone's four (flattened), Research's one.
      expect(first.stdout).toContain('group members: 7 added, 0 removed');
      expect(await scimView(platform)).toEqual({
        users: [
          {
            userName: 'ada@example.com',
            externalId: 'u1',
            active: true,
            givenName: 'Ada',
            familyName: 'Lovelace',
            displayName: 'Ada Lovelace',
            email: 'ada@example.com',
            title: 'Engineer',
            department: 'Engineering',
            employeeNumber: '1001',
          },
          {
            userName: 'alan@example.com',
            externalId: 'u3',
            active: true,
            givenName: 'Alan',
            familyName: 'Turing',
            department: 'Research',
          },
          {
            userName: 'grace@example.com',
            externalId: 'u2',
            active: true,
            givenName: 'Grace',
            familyName: 'Hopper',
            email: 'grace@example.com',
            title: 'Lead',
            department: 'Engineering',
          },
          {
            userName: 'o"brien\\x@example.com',
            externalId: 'u5',
            active: true,
            displayName: 'Siobhán "Shiv" O\'Brien',
            email: "o'brien@example.com",
          },
        ],
        groups: [
          {
            displayName: 'Engineering',
            externalId: 'g-eng',
            members: ['ada@example.com', 'grace@example.com'],
          },
          {
            displayName: 'Everyone',
            externalId: 'g-all',
            members: ['ada@example.com', 'alan@example.com', 'grace@example.com', 'o"brien\\x@example.com'],
          },
          { displayName: 'Research', externalId: 'g-res', members: ['alan@example.com'] },
        ],
      });

      // New (Linus), changed (Grace's title, Ada's department gone), disabled (Alan), removed (the quoted user),
      // Katherine enabled; Research renamed; Engineering loses Grace, gains Linus; Everyone deleted; Ops created.
      const linus: FileUser = { id: 'u6', userName: 'linus@example.com', givenName: 'Linus' };
      writeDirectory(
        [
          { ...ada, department: undefined },
          { ...grace, title: 'Director' },
          { ...alan, active: false },
          { ...katherine, active: true },
          linus,
        ],
        [
          { id: 'g-eng', displayName: 'Engineering', members: ['u1', 'u6'] },
          { id: 'g-res', displayName: 'Research & Theory', members: ['u3', 'u4'] },
          { id: 'g-ops', displayName: 'Ops', members: ['u2'] },
        ],
      );
      const second = await sync();
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect(await scimView(platform)).toEqual({
        users: [
          {
            userName: 'ada@example.com',
            externalId: 'u1',
            active: true,
            givenName: 'Ada',
            familyName: 'Lovelace',
            displayName: 'Ada Lovelace',
            email: 'ada@example.com',
            title: 'Engineer',
            employeeNumber: '1001',
          },
          {
            userName: 'alan@example.com',
            externalId: 'u3',
            active: false,
            givenName: 'Alan',
            familyName: 'Turing',
            department: 'Research',
          },
          {
            userName: 'grace@example.com',
            externalId: 'u2',
            active: true,
            givenName: 'Grace',
            familyName: 'Hopper',
            email: 'grace@example.com',
            title: 'Director',
            department: 'Engineering',
          },
          { userName: 'katherine@example.com', externalId: 'u4', active: true, givenName: 'Katherine' },
          { userName: 'linus@example.com', externalId: 'u6', active: true, givenName: 'Linus' },
          {
            userName: 'o"brien\\x@example.com',
            externalId: 'u5',
            active: false,
            displayName: 'Siobhán "Shiv" O\'Brien',
            email: "o'brien@example.com",
          },
        ],
        groups: [
          {
            displayName: 'Engineering',
            externalId: 'g-eng',
            members: ['ada@example.com', 'linus@example.com'],
          },
          { displayName: 'Ops', externalId: 'g-ops', members: ['grace@example.com'] },
          {
            displayName: 'Research & Theory',
            externalId: 'g-res',
            members: ['alan@example.com', 'katherine@example.com'],
          },
        ],
      });

      platform.resetCalls();
      const third = await sync();
      expect(third.code, third.stdout + third.stderr).toBe(0);
      expect(writesIn(platform.calls)).toBe(0);
      expect(third.stdout).toContain('no changes');
    });

    test('a file that does not parse fails the run and changes nothing', async () => {
      writeFileSync(
        join(directory, 'directory.json'),
        '{"users": [ {"id": "u1", "userName": "ada@example.com"} ',
      );
      platform.resetCalls();
      const broken = await sync();
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/not valid JSON/);
      expect(writesIn(platform.calls)).toBe(0);
    });

    test('a ;-delimited CSV export syncs; a malformed one fails the run with its line and changes nothing', async () => {
      const csvConfig = join(directory, 'csv.yaml');
      writeFileSync(
        csvConfig,
        [
          redis.configLine,
          'tenants:',
          '  - id: hr-csv',
          '    source: { type: file, path: ./directory.csv }',
          `    target: { url: "${platform.url}", token: "env:SCIM_TOKEN" }`,
        ].join('\n'),
      );
      const syncCsv = () => runCli(['--config', csvConfig, 'sync', 'hr-csv', '--inline', '--json'], env());
      const csvFile = join(directory, 'directory.csv');
      writeFileSync(
        csvFile,
        '\uFEFFid;userName;displayName;groups\r\nc1;csv-ada@example.com;"Lovelace; Ada";"Analysts;Engines"\r\n',
      );
      const good = await syncCsv();
      expect(good.code, good.stdout + good.stderr).toBe(0);
      expect((await scimView(platform)).users).toContainEqual({
        userName: 'csv-ada@example.com',
        externalId: 'c1',
        active: true,
        displayName: 'Lovelace; Ada',
      });

      writeFileSync(
        csvFile,
        'id;userName;displayName\r\nc1;csv-ada@example.com;Ada\r\nc2;csv-bob@example.com;"Bob"by\r\n',
      );
      platform.resetCalls();
      const broken = await syncCsv();
      expect(broken.code).toBe(1);
      const record = JSON.parse(broken.stdout) as { id: string; status: string; error?: string };
      expect(record.status).toBe('failed');
      expect(record.error).toMatch(/not valid CSV: line 3: text after the closing quote/);
      expect(writesIn(platform.calls)).toBe(0);
      // The stored run record says the same to whoever looks later.
      const stored = await runCli(['--config', csvConfig, 'run', 'hr-csv', record.id, '--json'], env());
      expect(JSON.parse(stored.stdout)).toMatchObject({ status: 'failed', error: record.error });
    });
  },
);
