import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunRecord } from '../../src/model/run.js';
import { scimView, writesIn } from '../support/scimState.js';
import { PLATFORM_KINDS } from '../support/testPlatform.js';
import { bystanders, expectedView, type HostileCase, hostileCases } from './hostileCorpus.js';
import { type FileTenant, type FileUser, startFileTenant } from './support.js';

const caseUsers = hostileCases.flatMap((hostile) => hostile.users ?? []);
const caseGroups = hostileCases.flatMap((hostile) => hostile.groups ?? []);
const skippedIds = new Set(
  hostileCases.flatMap((hostile) =>
    hostile.outcome?.kind === 'skipped' ? (hostile.users ?? []).map((user) => user.id) : [],
  ),
);

describe('hostile input corpus', () => {
  test('holds at least 40 named cases', () => {
    expect(hostileCases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(hostileCases.map((hostile) => hostile.name)).size).toBe(hostileCases.length);
  });

  describe.each(PLATFORM_KINDS)(
    'one full sync of every case together, with plain bystanders, into the %s SCIM platform',
    (kind) => {
      let tenant: FileTenant;
      let run: RunRecord;
      const view = () => scimView(tenant.platform);

      beforeAll(async () => {
        // A small page cap makes the platform read page through the corpus, too.
        tenant = await startFileTenant({ pageCap: 7, platform: kind });
        tenant.write({
          users: [...bystanders, ...caseUsers],
          groups: caseGroups.map(({ expectedMembers: _expected, ...group }) => group),
        });
        run = await tenant.harness.run('full');
      }, 60_000);
      afterAll(() => tenant?.close());

      test('the run completes, and the only failures are the skipped objects', () => {
        expect(run.status, run.error).toBe('completedWithFailures');
        expect(run.failures.map((failure) => failure.externalId).sort()).toEqual([...skippedIds].sort());
      });

      test('the bystanders are provisioned untouched by their neighbours', async () => {
        const { users } = await view();
        for (const bystander of bystanders) expect(users).toContainEqual(expectedView(bystander));
      });

      test.each(hostileCases)('$name', async (hostile: HostileCase) => {
        const { users, groups } = await view();
        for (const user of hostile.users ?? []) {
          const onPlatform = users.filter((candidate) => candidate.externalId === user.id);
          const outcome = hostile.outcome ?? { kind: 'provisioned' };
          if (outcome.kind === 'provisioned') {
            expect(onPlatform).toEqual([expectedView(user)]);
            continue;
          }
          expect(onPlatform).toEqual([]);
          const failures = run.failures.filter((failure) => failure.externalId === user.id);
          if (outcome.kind === 'absent') expect(failures).toEqual([]);
          else
            expect(failures).toEqual([
              { objectType: 'user', externalId: user.id, reason: expect.stringMatching(outcome.reason) },
            ]);
        }
        for (const group of hostile.groups ?? []) {
          const onPlatform = groups.filter((candidate) => candidate.externalId === group.id);
          expect(onPlatform).toEqual([
            {
              displayName: group.displayName,
              externalId: group.id,
              members: [...group.expectedMembers].sort(),
            },
          ]);
        }
      });

      test('a second run finds nothing to change and sends no write', async () => {
        tenant.platform.resetCalls();
        const second = await tenant.harness.run('full');
        expect(second.plan).toBeUndefined();
        expect(Object.values(second.counts).every((counts) => counts.planned === 0)).toBe(true);
        expect(writesIn(tenant.platform.calls)).toBe(0);
        expect(second.failures.map((failure) => failure.externalId).sort()).toEqual([...skippedIds].sort());
      });
    },
  );

  describe.each(PLATFORM_KINDS)(
    'adopting unclaimed platform users by hostile userName on the %s SCIM platform',
    (kind) => {
      const adoptable = hostileCases
        .filter((hostile) => (hostile.outcome ?? { kind: 'provisioned' }).kind === 'provisioned')
        .flatMap((hostile) => hostile.users ?? []);
      let tenant: FileTenant;
      beforeAll(async () => {
        tenant = await startFileTenant({ platform: kind });
        tenant.write({ users: [...bystanders, ...caseUsers] });
      });
      afterAll(() => tenant?.close());

      test('on-demand provisioning finds each one by a filter and adopts it; nothing else is created or claimed', async () => {
        const { platform } = tenant;
        const seeded = new Map<string, unknown>();
        for (const user of adoptable)
          seeded.set(user.id, (await platform.seedUser({ userName: user.userName, title: 'seeded' })).id);
        // Would match an unescaped filter such as `userName eq "x" or userName pr or ""`.
        const decoy = await platform.seedUser({ userName: 'decoy@example.com', title: 'decoy' });

        const batches: FileUser[][] = [];
        for (let start = 0; start < adoptable.length; start += 25)
          batches.push(adoptable.slice(start, start + 25));
        for (const batch of batches) {
          const answer = await tenant.provision({ users: batch.map((user) => user.id), groups: [] });
          for (const result of answer.results) {
            expect(result, JSON.stringify(result)).toMatchObject({ status: 'success' });
            expect(result.steps.find((step) => step.step === 'match')?.details).toMatchObject({
              matchedBy: 'userName',
            });
          }
        }

        const stored = (await platform.resources()).users;
        expect(stored).toHaveLength(adoptable.length + 1);
        const users = new Map(stored.map((resource) => [String(resource.id), resource]));
        for (const user of adoptable) {
          expect(users.get(String(seeded.get(user.id))), user.id).toMatchObject({
            externalId: user.id,
            userName: user.userName,
          });
        }
        expect(users.get(String(decoy.id))).toEqual(decoy);
        // A platform that cannot take an escaped filter value refuses the lookup, never a write.
        const refused = platform.calls.filter((call) => call.status === 400);
        if (platform.decodesEscapedFilterValues) expect(refused).toEqual([]);
        else expect(refused.filter((call) => call.method !== 'GET')).toEqual([]);
      });
    },
  );
});
