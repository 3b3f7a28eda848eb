import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateOktaOrg, type OktaDirectory, type RateLimitBucket } from '../../emulators/okta/index.js';
import { scimView } from '../../support/scimState.js';
import { type DirectoryChange, directAssignment, profileEdit, together } from './directoryChanges.js';
import { expectedPlatform, type PlatformView, usersInAppScope } from './expectedPlatform.js';
import { type OktaPipeline, runMeasurement, spendOktaCalls, startOktaPipeline } from './oktaPipeline.js';

const generated = generateOktaOrg({ users: 400, groups: 8, seed: 77 });
const app = generated.apps[0]!;

/**
 * Per-minute limits just above what one run needs of each bucket in a fresh window (a full read:
 * 3 user pages, the group list and 8 member lists, 2 app lists), so a run never needs a third window.
 */
const LIMITS: Readonly<Record<RateLimitBucket, number>> = { users: 6, groups: 12, apps: 4, logs: 4 };
const BUCKET_PATHS: Readonly<Record<RateLimitBucket, string>> = {
  users: '/api/v1/users?limit=1',
  groups: '/api/v1/groups?limit=1',
  apps: `/api/v1/apps/${app.id}`,
  logs: '/api/v1/logs?limit=1',
};
const WINDOW_MS = 60_000;
/**
 * How far (in real time) each bucket's window is from its reset when a run is started: enough for
 * the run to reach Okta before the reset even on a loaded machine (about 2 s seen at load 9 on 2 cores).
 */
const EDGE_MS = 5_000;

describe('okta → SCIM at the edge of every rate-limit bucket, with a throttling platform', () => {
  let pipeline: OktaPipeline;
  let directory: OktaDirectory = generated;
  let platform: PlatformView = { users: [], groups: [] };

  /** Another client of the token has left one call in each bucket's window, which resets in EDGE_MS. */
  async function bringBucketsToTheEdge(): Promise<void> {
    pipeline.okta.clock.advance(WINDOW_MS);
    for (const bucket of Object.keys(LIMITS) as RateLimitBucket[]) {
      await spendOktaCalls(pipeline.okta, BUCKET_PATHS[bucket], LIMITS[bucket] - 1);
    }
    pipeline.okta.clock.advance(WINDOW_MS - EDGE_MS);
    pipeline.okta.server.resetCalls();
  }

  async function runAtTheEdge(mode: 'full' | 'incremental', change?: DirectoryChange) {
    if (change) {
      change.applyTo(pipeline.okta.org);
      directory = change.edit(directory);
    }
    await bringBucketsToTheEdge();
    const run = await pipeline.harness.run(mode);
    console.log(JSON.stringify(runMeasurement(`okta ${mode} run at the edge of every bucket`, run)));
    const expected = expectedPlatform(directory, app.id, platform);
    platform = await scimView(pipeline.platform);
    return { run, expected };
  }

  beforeAll(async () => {
    pipeline = await startOktaPipeline({ directory: generated, appId: app.id, rateLimits: LIMITS });
    // Loaded once here, so that the first run reaches Okta before the windows reset.
    await import('../../../connectors/okta/source.js');
    // One SCIM request in five is refused with Retry-After: 0.
    pipeline.platform.setFaults({ rate429: 0.2, retryAfterSeconds: 0 });
  });
  afterAll(async () => {
    await pipeline?.close();
  });

  test('an initial full sync waits for the windows to reset and converges without a failed run', async () => {
    const { run, expected } = await runAtTheEdge('full');
    expect(run.status, run.error).toBe('succeeded');
    expect(run.failureCount).toBe(0);
    expect(platform).toEqual(expected);
    expect(platform.users.length).toBeGreaterThan(50);
    expect(run.throttled.source).toBeGreaterThan(0);
    expect(run.throttled.target).toBeGreaterThan(0);
    const refusedByOkta = pipeline.okta.server.calls.filter((call) => call.status === 429).length;
    // It slows down at the limit rather than hammering it: at most a refusal per call in flight.
    expect(refusedByOkta).toBeLessThanOrEqual(10);
  });

  test('an incremental run at the edge converges too', async () => {
    const user = directory.users.find(
      (candidate) => candidate.status === 'ACTIVE' && !usersInAppScope(directory, app.id).has(candidate.id),
    )!;
    const { run, expected } = await runAtTheEdge(
      'incremental',
      together('assign and edit', [
        directAssignment(app.id, user.id),
        profileEdit(user.id, { title: 'Edge case' }),
      ]),
    );
    expect(run.status, run.error).toBe('succeeded');
    expect(run.failureCount).toBe(0);
    expect(run.mode).toBe('incremental');
    expect(platform).toEqual(expected);
    expect(platform.users.find((account) => account.externalId === user.id)?.title).toBe('Edge case');
    expect(run.throttled.source).toBeGreaterThan(0);
  });
});
