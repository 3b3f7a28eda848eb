import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../src/runs/keys.js';
import type { GraphDirectory } from '../../emulators/graph/directory.js';
import { writesIn } from '../../support/scimState.js';
import { PLATFORM_KINDS } from '../../support/testPlatform.js';
import { type GraphPipeline, startGraphPipeline } from './graphPipeline.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SCIM_TOKEN = 'scim-token-graph-integration-5d1e';

type Resource = Record<string, unknown>;

/**
 * Incremental runs against a Graph that sends delta items as it documents them: an updated user as
 * its id and the properties that changed. Each test reads the platform's whole stored object over
 * SCIM before and after, so an attribute a run lost would show, whatever ops it planned.
 */
describe.each(PLATFORM_KINDS)(
  'incremental Graph runs with partial delta items, on the %s platform',
  (kind) => {
    let pipeline: GraphPipeline;
    let directory: GraphDirectory;

    beforeAll(async () => {
      pipeline = await startGraphPipeline({
        spec: { users: 300, groups: 30, nestedDepth: 2, seed: 5 },
        platform: kind,
      });
      directory = pipeline.graph.directory;
      expect(await pipeline.harness.run('full')).toMatchObject({ status: 'succeeded', failureCount: 0 });
    });
    afterAll(() => pipeline?.close());

    /** The platform's stored resource with this externalId, as its SCIM API answers it, without `meta`. */
    async function stored(type: 'Users' | 'Groups', externalId: string): Promise<Resource | undefined> {
      const filter = encodeURIComponent(`externalId eq "${externalId}"`);
      const response = await fetch(`${pipeline.platform.url}/${type}?filter=${filter}`, {
        headers: { authorization: `Bearer ${SCIM_TOKEN}` },
      });
      const list = (await response.json()) as { Resources?: Resource[] };
      const found = list.Resources?.[0];
      if (found === undefined) return undefined;
      const { meta: _meta, ...resource } = found;
      if (Array.isArray(resource.members)) {
        resource.members = [...(resource.members as Resource[])].sort((a, b) =>
          String(a.value).localeCompare(String(b.value)),
        );
      }
      return resource;
    }

    /** An active platform user whose source record has every mapped attribute, not yet used by a test. */
    const used = new Set<string>();
    async function fullyAttributedUser(): Promise<{ id: string; before: Resource }> {
      for (const id of directory.sortedUsers()) {
        const properties = directory.user(id)?.properties ?? {};
        const complete = ['mail', 'jobTitle', 'department', 'employeeId', 'givenName', 'surname'].every(
          (name) => typeof properties[name] === 'string' && properties[name] !== '',
        );
        if (!complete || properties.accountEnabled === false || used.has(id)) continue;
        const before = await stored('Users', id);
        if (before?.active !== true) continue;
        used.add(id);
        return { id, before };
      }
      throw new Error('the generated tenant has no fully attributed user on the platform');
    }

    async function incremental() {
      pipeline.resetCalls();
      const run = await pipeline.harness.run('incremental');
      expect(run).toMatchObject({ mode: 'incremental', status: 'succeeded', failureCount: 0 });
      return run;
    }

    it('changes one attribute of one user and leaves every other one as it was', async () => {
      const { id, before } = await fullyAttributedUser();
      directory.updateUser(id, { jobTitle: 'Changed title' });
      await incremental();
      expect(await stored('Users', id)).toEqual({ ...before, title: 'Changed title' });
      expect(writesIn(pipeline.platform.calls)).toBe(1);
    });

    it('removes an attribute cleared in Entra and leaves every other one as it was', async () => {
      const { id, before } = await fullyAttributedUser();
      directory.updateUser(id, { department: null });
      await incremental();
      const { department: _department, ...enterprise } = before[ENTERPRISE] as Resource;
      expect(await stored('Users', id)).toEqual({ ...before, [ENTERPRISE]: enterprise });
      expect(writesIn(pipeline.platform.calls)).toBe(1);
    });

    it('renames a group and keeps its members on the platform', async () => {
      const groupId = directory
        .assignments()
        .map((assignment) => assignment.principalId)
        .find((id) => (directory.group(id)?.members.size ?? 0) > 2);
      if (groupId === undefined) throw new Error('the generated tenant has no assigned group with members');
      const before = await stored('Groups', groupId);
      expect(((before?.members ?? []) as unknown[]).length).toBeGreaterThan(0);
      directory.renameGroup(groupId, 'Renamed in Entra');
      await incremental();
      expect(await stored('Groups', groupId)).toEqual({ ...before, displayName: 'Renamed in Entra' });
      expect(writesIn(pipeline.platform.calls)).toBe(1);
    });

    it('provisions a user first seen in a delta round whole, read by id through $batch', async () => {
      const groupId = directory
        .assignments()
        .find((assignment) => assignment.principalType === 'Group')?.principalId;
      if (groupId === undefined) throw new Error('the generated tenant has no assigned group');
      const hire = directory.addUser({
        userPrincipalName: 'first.seen@contoso.example',
        givenName: 'First',
        surname: 'Seen',
        displayName: 'First Seen',
        mail: 'first.seen@contoso.example',
        jobTitle: 'Analyst',
        department: 'Finance',
        employeeId: 'E777001',
      });
      directory.addMember(groupId, hire.id);
      await incremental();
      expect(pipeline.graphPathsRead()).toContain('/v1.0/$batch');
      expect(await stored('Users', hire.id)).toMatchObject({
        externalId: hire.id,
        userName: 'first.seen@contoso.example',
        active: true,
        displayName: 'First Seen',
        name: { givenName: 'First', familyName: 'Seen' },
        emails: [{ type: 'work', value: 'first.seen@contoso.example', primary: true }],
        title: 'Analyst',
        [ENTERPRISE]: { department: 'Finance', employeeNumber: 'E777001' },
      });
      const provisioned = await stored('Users', hire.id);
      const members = ((await stored('Groups', groupId))?.members ?? []) as Resource[];
      expect(members.map((member) => member.value)).toContain(provisioned?.id);
    });

    it('reads in full, saying why, when a cursor has no source records beside it (an upgrade)', async () => {
      await pipeline.harness.stores.redis.del(keys.snapshot(pipeline.harness.tenant.id));
      pipeline.resetCalls();
      const run = await pipeline.harness.run('incremental');
      expect(run).toMatchObject({ mode: 'full', status: 'succeeded' });
      expect(run.fallbackReason).toMatch(/has no source records beside it; a full read rebuilds them/);
      expect(run.counts).toEqual({});
      expect((await incremental()).fallbackReason).toBeUndefined();
    });

    it('reads in full, saying why, when the cursor was stored by a version that took items as whole users', async () => {
      const { redis } = pipeline.harness.stores;
      const cursorKey = keys.cursor(pipeline.harness.tenant.id);
      const { users, groups } = JSON.parse((await redis.hget(cursorKey, 'cursor')) ?? '{}') as Resource;
      await redis.hset(cursorKey, 'cursor', JSON.stringify({ v: 1, users, groups }));
      const run = await pipeline.harness.run('incremental');
      expect(run).toMatchObject({ mode: 'full', status: 'succeeded' });
      expect(run.fallbackReason).toMatch(/earlier dirsync.*a full read rebuilds them/);
      expect(run.counts).toEqual({});
    });
  },
);
