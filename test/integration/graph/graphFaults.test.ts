import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../connectors/graph/support.js';
import type { DeltaExpiry } from '../../emulators/graph/directory.js';
import { scimView } from '../../support/scimState.js';
import { expectedPlatform, type PlatformState, sourceDirectoryOf } from './expectedPlatform.js';
import { type GraphPipeline, startGraphPipeline } from './graphPipeline.js';

describe('a Graph tenant that throttles and expires delta tokens', () => {
  let pipeline: GraphPipeline;
  let platform: PlatformState;

  beforeAll(async () => {
    pipeline = await startGraphPipeline({
      spec: { users: 800, groups: 80, nestedDepth: 3, seed: 11 },
      graph: { random: seededRandom(3) },
    });
  });
  afterAll(() => pipeline?.close());

  it('converges through a storm of 429s on a full sync, counting each one it waited out', async () => {
    pipeline.graph.server.setFaults({ rate429: 0.3, retryAfterSeconds: 0 });
    try {
      const run = await pipeline.harness.run('full');
      const refused = pipeline.graph.server.calls.filter((call) => call.status === 429).length;
      expect(refused).toBeGreaterThan(5);
      expect(run).toMatchObject({ mode: 'full', status: 'succeeded', failureCount: 0 });
      expect(run.throttled.source).toBe(refused);
    } finally {
      pipeline.graph.server.setFaults({});
    }
    platform = expectedPlatform(pipeline.generated);
    expect(await scimView(pipeline.platform)).toEqual(platform);
  });

  it.each<DeltaExpiry>(['syncStateNotFound', 'gone'])(
    'falls back to a full run, and says why, when Graph answers an expired delta token with %s',
    async (how) => {
      const { directory } = pipeline.graph;
      const user = platform.users.find((candidate) => candidate.active)?.externalId ?? '';
      directory.updateUser(user, { jobTitle: `Title before the ${how} expiry` });
      directory.expireDeltaTokens(how);
      const expected = expectedPlatform(sourceDirectoryOf(directory), platform);

      const run = await pipeline.harness.run('incremental');

      expect(run).toMatchObject({
        requestedMode: 'incremental',
        mode: 'full',
        status: 'succeeded',
        failureCount: 0,
      });
      expect(run.fallbackReason).toMatch(/delta token/);
      expect(await scimView(pipeline.platform)).toEqual(expected);
      platform = expected;

      const next = await pipeline.harness.run('incremental');
      expect(next, 'the fallback stored a fresh cursor').toMatchObject({
        mode: 'incremental',
        status: 'succeeded',
      });
    },
  );
});
