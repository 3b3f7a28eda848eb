import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphDirectory } from '../../emulators/graph/directory.js';
import { scimView, writesIn } from '../../support/scimState.js';
import { PLATFORM_KINDS } from '../../support/testPlatform.js';
import {
  changedObjects,
  expectedPlatform,
  type PlatformState,
  type SourceDirectory,
  sourceDirectoryOf,
} from './expectedPlatform.js';
import { CHANGE_FEED_PATHS, type GraphPipeline, startGraphPipeline } from './graphPipeline.js';

const SCIM_PAGE_CAP = 10;

/** The subjects of the changes, chosen once from the synced tenant so that each change is visible. */
interface Subjects {
  /** Active platform users reached through groups only, one per user-level change. */
  readonly viaGroups: readonly string[];
  /** A directly assigned active user: stays in scope whatever its groups. */
  readonly directlyAssigned: string;
  /** An assigned group that does not hold `directlyAssigned`. */
  readonly joinable: string;
  /** Assigned groups for the create, the rename and the unassignment. */
  readonly hiring: string;
  readonly renamed: string;
  readonly unassigned: string;
  /** A group nested in an assigned group. */
  readonly nested: { readonly parent: string; readonly child: string };
}

function chooseSubjects(source: SourceDirectory, platform: PlatformState): Subjects {
  const assigned = new Set(source.assignedPrincipalIds);
  const activeIds = platform.users.filter((user) => user.active).map((user) => user.externalId ?? '');
  const directlyAssigned = activeIds.find((id) => assigned.has(id));
  const directUserName = platform.users.find((user) => user.externalId === directlyAssigned)?.userName;
  const assignedGroups = platform.groups.filter((group) => group.members.length > 0);
  const joinable = assignedGroups.find((group) => !group.members.includes(directUserName ?? ''));
  const groupIds = new Set(source.groups.map((group) => group.id));
  const parent = source.groups.find(
    (group) => assigned.has(group.id) && group.memberIds.some((id) => groupIds.has(id)),
  );
  const child = parent?.memberIds.find((id) => groupIds.has(id));
  const others = assignedGroups.filter((group) => group !== joinable && group.externalId !== parent?.id);
  const [hiring, renamed, unassigned] = others.map((group) => group.externalId ?? '');
  if (!directlyAssigned || !joinable?.externalId || !parent || !child || !hiring || !renamed || !unassigned)
    throw new Error('the generated tenant lacks the shapes these tests change');
  return {
    viaGroups: activeIds.filter((id) => !assigned.has(id)).slice(0, 4),
    directlyAssigned,
    joinable: joinable.externalId,
    hiring,
    renamed,
    unassigned,
    nested: { parent: parent.id, child },
  };
}

describe.each(PLATFORM_KINDS)(
  'incremental runs of a Graph tenant in assigned scope into the %s SCIM platform',
  (kind) => {
    let pipeline: GraphPipeline;
    let directory: GraphDirectory;
    let platform: PlatformState;
    let subjects: Subjects;

    beforeAll(async () => {
      pipeline = await startGraphPipeline({
        spec: { users: 600, groups: 60, nestedDepth: 2, seed: 7 },
        scimPageCap: SCIM_PAGE_CAP,
        platform: kind,
      });
      directory = pipeline.graph.directory;
      const initial = await pipeline.harness.run('full');
      expect(initial).toMatchObject({ status: 'succeeded', failureCount: 0 });
      platform = expectedPlatform(pipeline.generated);
      expect(await scimView(pipeline.platform)).toEqual(platform);
      subjects = chooseSubjects(sourceDirectoryOf(directory), platform);
    });
    afterAll(() => pipeline?.close());

    /**
     * Applies `change` in Entra, runs an incremental sync and checks that the platform reached the
     * reference state, that only the change feed (and `readById`) was read, and that only the
     * changed objects were written. `newAccount`: the change brings a user the platform has no
     * account for, whose adoption candidates are looked for by userName and email.
     */
    async function syncChange(
      change: () => void,
      { readById = [], newAccount = false }: { readById?: readonly string[]; newAccount?: boolean } = {},
    ): Promise<void> {
      change();
      const expected = expectedPlatform(sourceDirectoryOf(directory), platform);
      const touched = changedObjects(platform, expected);
      expect(touched, 'the change must be visible on the platform').toBeGreaterThan(0);
      pipeline.resetCalls();

      const run = await pipeline.harness.run('incremental');

      expect(run, JSON.stringify({ error: run.error, failures: run.failures })).toMatchObject({
        mode: 'incremental',
        status: 'succeeded',
        failureCount: 0,
      });
      expect(await scimView(pipeline.platform)).toEqual(expected);
      expect(pipeline.graphPathsRead()).toEqual(new Set([...CHANGE_FEED_PATHS, ...readById]));
      const scimCalls = pipeline.platform.calls;
      const writes = writesIn(scimCalls);
      expect(writes).toBeGreaterThanOrEqual(1);
      expect(writes).toBeLessThanOrEqual(2 * touched);
      // Focused lookups: fewer platform reads than one listing of its users would take. Only a user
      // without an account may cost one scan of the users: looked up by email on a platform whose
      // filters refuse `emails.value`, by userName on one that compares it with case (one serves both).
      const listingPages = Math.ceil(platform.users.length / SCIM_PAGE_CAP);
      const scans = newAccount && !pipeline.platform.filtersMultiValuedAttributes ? 1 : 0;
      expect(scimCalls.length - writes).toBeLessThan((scans + 1) * listingPages);
      platform = expected;
    }

    it('creates a new hire in an assigned group', async () => {
      await syncChange(
        () => {
          const hire = directory.addUser({
            userPrincipalName: 'new.hire@contoso.example',
            displayName: "Néw O'Hire",
            givenName: 'Néw',
            surname: "O'Hire",
            mail: 'new.hire@contoso.example',
            jobTitle: 'Engineer',
            department: 'Support',
            employeeId: 'E900001',
          });
          directory.addMember(subjects.hiring, hire.id);
        },
        { readById: ['/v1.0/$batch'], newAccount: true },
      );
      expect(platform.users.find((user) => user.userName === 'new.hire@contoso.example')?.active).toBe(true);
    });

    it('looks a changed user up by externalId and userName only, however the platform takes email filters', async () => {
      const id = subjects.viaGroups[0] ?? '';
      await syncChange(() => directory.updateUser(id, { jobTitle: 'Staff Engineer' }));
      const userReads = pipeline.platform.calls.filter(
        (call) => call.method === 'GET' && call.path === '/scim/v2/Users',
      );
      expect(userReads).toHaveLength(2);
    });

    it('updates changed attributes and removes one that became empty', async () => {
      const [id = ''] = subjects.viaGroups;
      await syncChange(() =>
        directory.updateUser(id, { jobTitle: 'Principal', department: 'R&D', mail: null }),
      );
      expect(platform.users.find((user) => user.externalId === id)).toMatchObject({ title: 'Principal' });
      expect(platform.users.find((user) => user.externalId === id)).not.toHaveProperty('email');
    });

    it('deactivates a disabled user', async () => {
      const id = subjects.viaGroups[1] ?? '';
      await syncChange(() => directory.updateUser(id, { accountEnabled: false }));
      expect(platform.users.find((user) => user.externalId === id)?.active).toBe(false);
    });

    it('deactivates a soft-deleted user and takes it out of its groups', async () => {
      const id = subjects.viaGroups[2] ?? '';
      await syncChange(() => directory.softDeleteUser(id));
      expect(platform.users.find((user) => user.externalId === id)?.active).toBe(false);
    });

    it('deactivates a hard-deleted user and takes it out of its groups', async () => {
      const id = subjects.viaGroups[3] ?? '';
      await syncChange(() => directory.hardDeleteUser(id));
      expect(platform.users.find((user) => user.externalId === id)?.active).toBe(false);
    });

    it('adds a member to a group', async () => {
      await syncChange(() => directory.addMember(subjects.joinable, subjects.directlyAssigned));
    });

    it('removes a member from a group', async () => {
      await syncChange(() => directory.removeMember(subjects.joinable, subjects.directlyAssigned));
    });

    it('takes a nested group’s users out of the group that contained it', async () => {
      await syncChange(() => directory.removeMember(subjects.nested.parent, subjects.nested.child));
    });

    it('renames a group, quotes and all', async () => {
      await syncChange(() => directory.renameGroup(subjects.renamed, `Sales d'Europe "EMEA" \\ Süd`));
      expect(platform.groups.map((group) => group.displayName)).toContain(`Sales d'Europe "EMEA" \\ Süd`);
    });

    it('deletes an unassigned group and deactivates the users it alone brought in', async () => {
      await syncChange(() => directory.unassign(subjects.unassigned));
      expect(platform.groups.map((group) => group.externalId)).not.toContain(subjects.unassigned);
    });

    it('deactivates an unassigned user', async () => {
      await syncChange(() => directory.unassign(subjects.directlyAssigned));
      expect(platform.users.find((user) => user.externalId === subjects.directlyAssigned)?.active).toBe(
        false,
      );
    });

    it('leaves nothing behind: a full run afterwards plans no op and writes nothing', async () => {
      pipeline.resetCalls();
      const full = await pipeline.harness.run('full');
      expect(full).toMatchObject({ mode: 'full', status: 'succeeded' });
      expect(full.counts).toEqual({});
      expect(writesIn(pipeline.platform.calls)).toBe(0);
      expect(await scimView(pipeline.platform)).toEqual(platform);
    });
  },
);
