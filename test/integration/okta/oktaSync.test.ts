import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateOktaOrg, OKTA_USER_STATUSES, type OktaDirectory } from '../../emulators/okta/index.js';
import { scimView, writesIn } from '../../support/scimState.js';
import { PLATFORM_KINDS } from '../../support/testPlatform.js';
import {
  type DirectoryChange,
  directAssignment,
  directUnassignment,
  membershipAdded,
  membershipRemoved,
  profileEdit,
  statusChange,
  userDeletion,
} from './directoryChanges.js';
import { expectedPlatform, type PlatformView, usersInAppScope } from './expectedPlatform.js';
import { listingCalls, type OktaPipeline, runMeasurement, startOktaPipeline } from './oktaPipeline.js';

const generated = generateOktaOrg({ users: 2_000, groups: 16, seed: 20_240_604 });
const app = generated.apps[0]!;
const appGroupIds = new Set(app.groupIds);
const inScope = usersInAppScope(generated, app.id);
const viaGroups = new Set(
  generated.groups.filter((group) => appGroupIds.has(group.id)).flatMap((group) => group.memberIds),
);

/** Users for the changes, each picked once so that no change hides another. */
const picked = new Set<string>();
function pickUser(description: string, fits: (userId: string) => boolean): string {
  const user = generated.users.find(
    (candidate) => candidate.status === 'ACTIVE' && !picked.has(candidate.id) && fits(candidate.id),
  );
  if (!user) throw new Error(`the generated org has no ACTIVE user who is ${description}`);
  picked.add(user.id);
  return user.id;
}
const appGroup = generated.groups.find((group) => appGroupIds.has(group.id) && group.memberIds.length > 5)!;
const appGroupsOf = (userId: string) =>
  generated.groups.filter((group) => appGroupIds.has(group.id) && group.memberIds.includes(userId)).length;
const direct = (userId: string) => app.userIds.includes(userId);

const edited = pickUser('in scope with a department', (id) => {
  const user = generated.users.find((candidate) => candidate.id === id);
  return inScope.has(id) && user?.profile.department !== undefined;
});
const suspended = pickUser('in scope', (id) => inScope.has(id));
const deactivated = pickUser('in scope', (id) => inScope.has(id));
const deleted = pickUser('in two of the app groups', (id) => appGroupsOf(id) >= 2);
const joiner = pickUser('out of scope', (id) => !inScope.has(id));
const leaver = pickUser(
  `only in ${appGroup.name}`,
  (id) => !direct(id) && appGroupsOf(id) === 1 && appGroup.memberIds.includes(id),
);
const stayer = pickUser(
  `in ${appGroup.name} and assigned directly`,
  (id) => direct(id) && appGroup.memberIds.includes(id),
);
const assigned = pickUser('out of scope', (id) => !inScope.has(id));
const unassigned = pickUser('assigned directly only', (id) => direct(id) && !viaGroups.has(id));

/** Each kind of change issue 4 names, with the most platform writes it may cost. */
const changes: readonly { change: DirectoryChange; maxWrites: number }[] = [
  { change: profileEdit(edited, { title: 'Principal "Staff" Engineer', department: null }), maxWrites: 1 },
  { change: statusChange('suspend', suspended, 'SUSPENDED'), maxWrites: 1 },
  { change: statusChange('unsuspend', suspended, 'ACTIVE'), maxWrites: 1 },
  { change: statusChange('deactivate', deactivated, 'DEPROVISIONED'), maxWrites: 1 },
  // Deactivated, and taken out of each of its groups.
  { change: userDeletion(deleted), maxWrites: 1 + appGroupsOf(deleted) },
  // Created, then added.
  { change: membershipAdded('group membership add', appGroup.id, joiner), maxWrites: 2 },
  // Taken out of the group, and deactivated: the group was its only way into the app.
  { change: membershipRemoved('group membership remove (leaves scope)', appGroup.id, leaver), maxWrites: 2 },
  {
    change: membershipRemoved('group membership remove (stays assigned)', appGroup.id, stayer),
    maxWrites: 1,
  },
  { change: directAssignment(app.id, assigned), maxWrites: 1 },
  { change: directUnassignment(app.id, unassigned), maxWrites: 1 },
];

/** The time between two scheduled incremental runs: each run reads only its own change. */
const SCHEDULE_INTERVAL_MS = 40 * 60_000;

describe.each(PLATFORM_KINDS)(
  'okta → the %s SCIM platform through the real pipeline (2,000-user org, app scope)',
  (kind) => {
    let pipeline: OktaPipeline;
    let directory: OktaDirectory = generated;
    let platform: PlatformView;

    beforeAll(async () => {
      pipeline = await startOktaPipeline({ directory: generated, appId: app.id, platform: kind });
    });
    afterAll(async () => {
      await pipeline?.close();
    });

    test('the generated org covers what the initial sync must get right', () => {
      const statusesInScope = new Set(
        generated.users.filter((user) => inScope.has(user.id)).map((user) => user.status),
      );
      expect([...statusesInScope].sort()).toEqual([...OKTA_USER_STATUSES].sort());
      expect(
        generated.users.filter((user) => direct(user.id) && !viaGroups.has(user.id)).length,
      ).toBeGreaterThan(50);
      expect(
        generated.users.filter((user) => !direct(user.id) && viaGroups.has(user.id)).length,
      ).toBeGreaterThan(50);
      expect(inScope.size).toBeLessThan(generated.users.length);
    });

    test('the initial full sync reaches exactly the expected platform state', async () => {
      const run = await pipeline.harness.run('full');
      console.log(JSON.stringify(runMeasurement(`okta initial full sync, 2,000 users, into ${kind}`, run)));

      expect(run.status, run.error).toBe('succeeded');
      expect(run.failureCount).toBe(0);
      platform = await scimView(pipeline.platform);
      expect(platform).toEqual(expectedPlatform(directory, app.id));
      // Inactive users without an account are not created: every account is active.
      expect(platform.users.every((user) => user.active)).toBe(true);
      // One write per user and group created, plus member patches; no lookup before each create.
      const created = platform.users.length + platform.groups.length;
      expect(run.apiCalls.target).toBeLessThan(created * 1.2);
      expect(run.apiCalls.source).toBeLessThan(60);
    });

    test.each(changes.map((entry) => [entry.change.name, entry] as const))(
      '%s reaches the platform through an incremental run that reads only the change feed',
      async (_name, { change, maxWrites }) => {
        pipeline.okta.clock.advance(SCHEDULE_INTERVAL_MS);
        change.applyTo(pipeline.okta.org);
        directory = change.edit(directory);
        pipeline.okta.server.resetCalls();
        pipeline.platform.resetCalls();

        const run = await pipeline.harness.run('incremental');
        if (change.name === 'profile edit') {
          console.log(
            JSON.stringify(runMeasurement(`okta incremental run, one profile edit, into ${kind}`, run)),
          );
        }

        expect(run.status, run.error).toBe('succeeded');
        expect(run.failureCount).toBe(0);
        expect(run.mode).toBe('incremental');
        const expected = expectedPlatform(directory, app.id, platform);
        platform = await scimView(pipeline.platform);
        expect(platform).toEqual(expected);
        // One users request (the lastUpdated search; listing this org takes 11 pages) and no other list.
        expect(listingCalls(pipeline.okta.server.calls).map((call) => call.path)).toEqual(['/api/v1/users']);
        expect(pipeline.okta.server.calls.length).toBeLessThanOrEqual(6);
        const writes = writesIn(pipeline.platform.calls);
        expect(writes).toBeGreaterThan(0);
        expect(writes).toBeLessThanOrEqual(maxWrites);
        // A platform whose filter refuses `emails.value` has its users listed once instead.
        const scanPages = pipeline.platform.filtersMultiValuedAttributes
          ? 0
          : Math.ceil(platform.users.length / pipeline.platform.pageCap);
        expect(pipeline.platform.calls.length).toBeLessThanOrEqual(10 + scanPages);
      },
    );

    test('after every change, a full run finds nothing left to do', async () => {
      pipeline.platform.resetCalls();
      const run = await pipeline.harness.run('full');
      expect(run.status, run.error).toBe('succeeded');
      expect(run.counts).toEqual({});
      expect(writesIn(pipeline.platform.calls)).toBe(0);
      expect(await scimView(pipeline.platform)).toEqual(expectedPlatform(directory, app.id, platform));
    });
  },
);
