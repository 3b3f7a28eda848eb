import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunRecord } from '../../src/model/run.js';
import { platformView, writesIn } from '../support/scimState.js';
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

  describe('one full sync of every case together, with plain bystanders', () => {
    let tenant: FileTenant;
    let run: RunRecord;
    const view = () => platformView(tenant.scim);

    beforeAll(async () => {
      // A small page cap makes the platform read page through the corpus, too.
      tenant = await startFileTenant({ pageCap: 7 });
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

    test('the bystanders are provisioned untouched by their neighbours', () => {
      const users = view().users;
      for (const bystander of bystanders) expect(users).toContainEqual(expectedView(bystander));
    });

    test.each(hostileCases)('$name', (hostile: HostileCase) => {
      const { users, groups } = view();
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
      tenant.scim.server.resetCalls();
      const second = await tenant.harness.run('full');
      expect(second.plan).toBeUndefined();
      expect(Object.values(second.counts).every((counts) => counts.planned === 0)).toBe(true);
      expect(writesIn(tenant.scim.server.calls)).toBe(0);
      expect(second.failures.map((failure) => failure.externalId).sort()).toEqual([...skippedIds].sort());
    });
  });

  describe('adopting unclaimed platform users by hostile userName, through SCIM filters', () => {
    const adoptable = hostileCases
      .filter((hostile) => (hostile.outcome ?? { kind: 'provisioned' }).kind === 'provisioned')
      .flatMap((hostile) => hostile.users ?? []);
    let tenant: FileTenant;
    beforeAll(async () => {
      tenant = await startFileTenant();
      tenant.write({ users: [...bystanders, ...caseUsers] });
    });
    afterAll(() => tenant?.close());

    test('on-demand provisioning finds each one by a filter and adopts it; nothing else is created or claimed', async () => {
      const { store } = tenant.scim;
      const seeded = new Map(
        adoptable.map((user) => [user.id, store.seedUser({ userName: user.userName, title: 'seeded' }).id]),
      );
      // Would match an unescaped filter such as `userName eq "x" or userName pr or ""`.
      const decoy = store.seedUser({ userName: 'decoy@example.com', title: 'decoy' });

      const batches: FileUser[][] = [];
      for (let start = 0; start < adoptable.length; start += 25)
        batches.push(adoptable.slice(start, start + 25));
      for (const batch of batches) {
        const answer = await tenant.provision({ users: batch.map((user) => user.id), groups: [] });
        for (const result of answer.results) {
          expect(result, result.subject).toMatchObject({ status: 'success' });
          expect(result.steps.find((step) => step.step === 'match')?.details).toMatchObject({
            matchedBy: 'userName',
          });
        }
      }

      expect(store.users()).toHaveLength(adoptable.length + 1);
      const users = new Map(store.users().map((resource) => [String(resource.id), resource]));
      for (const user of adoptable) {
        expect(users.get(String(seeded.get(user.id))), user.id).toMatchObject({
          externalId: user.id,
          userName: user.userName,
        });
      }
      expect(users.get(String(decoy.id))).toEqual(decoy);
      expect(tenant.scim.server.calls.filter((call) => call.status === 400)).toEqual([]);
    });
  });
});
