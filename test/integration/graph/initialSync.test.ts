import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scimView, writesIn } from '../../support/scimState.js';
import { PLATFORM_KINDS } from '../../support/testPlatform.js';
import { onEachRedis, openTestRedis, type TestRedis } from '../../support/testRedis.js';
import { expectedPlatform, sourceDirectoryOf } from './expectedPlatform.js';
import { CHANGE_FEED_PATHS, type GraphPipeline, startGraphPipeline } from './graphPipeline.js';

describe.each(onEachRedis(PLATFORM_KINDS))(
  'initial sync of a generated Entra tenant in assigned scope into the $kind SCIM platform, on $redis',
  ({ kind, redis: redisKind }) => {
    let pipeline: GraphPipeline;
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await openTestRedis(redisKind);
      pipeline = await startGraphPipeline({ platform: kind, redis: redis.target });
    });
    afterAll(async () => {
      await pipeline?.close();
      await redis?.stop();
    });

    it('reaches exactly the expected platform state, with about one write per object', async () => {
      const { generated, graph, platform, harness } = pipeline;
      const expected = expectedPlatform(generated);
      // The generated tenant must exercise what the test claims: nesting, disabled users, mail-less users.
      expect(generated.users.length).toBeGreaterThanOrEqual(2_000);
      expect(expected.users.length).toBeGreaterThan(500);
      expect(expected.groups.some((group) => group.members.length > 60)).toBe(true);
      expect(generated.users.some((user) => user.accountEnabled === false)).toBe(true);
      expect(expected.users.some((user) => user.email === undefined)).toBe(true);

      const run = await harness.run('full');

      expect(run).toMatchObject({ mode: 'full', status: 'succeeded', failureCount: 0 });
      expect(await scimView(platform)).toEqual(expected);
      const objects = expected.users.length + expected.groups.length;
      const writes = writesIn(platform.calls);
      expect(writes).toBeGreaterThanOrEqual(objects);
      expect(writes).toBeLessThan(objects * 1.2);
      expect(platform.calls.length - writes).toBeLessThan(20);
      console.log(
        JSON.stringify({
          measured: `graph initial sync (assigned scope) into ${kind}`,
          sourceUsers: generated.users.length,
          platformUsers: expected.users.length,
          platformGroups: expected.groups.length,
          apiCalls: run.apiCalls,
          throttled: run.throttled,
          durationMs: run.durationMs,
          graphCallsServed: graph.server.calls.length,
          scimCallsServed: { total: platform.calls.length, writes },
        }),
      );
    });

    it('then syncs one changed user through an incremental run that reads only the change feed', async () => {
      const { graph, platform, harness } = pipeline;
      const before = await scimView(platform);
      const user = before.users.find((candidate) => candidate.active)?.externalId ?? '';
      graph.directory.updateUser(user, { jobTitle: 'Staff Engineer' });
      pipeline.resetCalls();

      const run = await harness.run('incremental');

      expect(run, JSON.stringify({ error: run.error, failures: run.failures })).toMatchObject({
        mode: 'incremental',
        status: 'succeeded',
        failureCount: 0,
      });
      expect(await scimView(platform)).toEqual(expectedPlatform(sourceDirectoryOf(graph.directory), before));
      expect(pipeline.graphPathsRead()).toEqual(CHANGE_FEED_PATHS);
      expect(writesIn(platform.calls)).toBe(1);
      expect(run.apiCalls.source).toBe(graph.server.calls.length);
      console.log(
        JSON.stringify({
          measured: `graph incremental run after one user change into ${kind}`,
          apiCalls: run.apiCalls,
          durationMs: run.durationMs,
          graphPathsServed: graph.server.calls.map((call) => call.path),
          scimCallsServed: platform.calls.map(
            (call) => `${call.method} ${call.path.replace(/[0-9a-f-]{36}/, ':id')}`,
          ),
        }),
      );
    });
  },
);
