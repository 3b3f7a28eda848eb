import type { RunRecord } from '../../../src/model/run.js';
import type { CallRecord } from '../../emulators/https/httpsServer.js';
import {
  type OktaDirectory,
  type OktaEmulator,
  type RateLimitBucket,
  startOktaEmulator,
} from '../../emulators/okta/index.js';
import { ensureDevCertificates } from '../../support/devCertificates.js';
import { type PipelineHarness, startPipelineHarness } from '../../support/pipelineHarness.js';
import { type PlatformKind, startTestPlatform, type TestPlatform } from '../../support/testPlatform.js';

const OKTA_TOKEN = 'ssws-integration-okta-5e1f0c';
const SCIM_TOKEN = 'scim-integration-okta-a73d92';

/** An Okta org emulator, a platform SCIM emulator and the real pipeline of one `app`-scoped tenant between them. */
export interface OktaPipeline {
  readonly okta: OktaEmulator;
  readonly platform: TestPlatform;
  readonly harness: PipelineHarness;
  close(): Promise<void>;
}

export async function startOktaPipeline(options: {
  readonly directory: OktaDirectory;
  readonly appId: string;
  readonly rateLimits?: Partial<Record<RateLimitBucket, number>>;
  /** The SCIM server the tenant writes to (default: the project's emulator). */
  readonly platform?: PlatformKind;
}): Promise<OktaPipeline> {
  const directory = process.env.DIRSYNC_TEST_TLS_DIR;
  if (!directory) throw new Error('DIRSYNC_TEST_TLS_DIR is not set: run the tests through vitest');
  const certificates = ensureDevCertificates(directory);
  const okta = await startOktaEmulator({
    certificates,
    token: OKTA_TOKEN,
    directory: options.directory,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  const platform = await startTestPlatform(options.platform ?? 'emulator', { token: SCIM_TOKEN });
  const harness = await startPipelineHarness(
    [
      'source:',
      '  type: okta',
      `  orgUrl: "${okta.url}/"`,
      '  token: env:OKTA_TOKEN',
      `  scope: { mode: app, appId: "${options.appId}" }`,
      // The default pacing (50 writes a second) protects a real platform; the emulator needs none.
      `target: { url: "${platform.url}", token: "env:SCIM_TOKEN", maxRequestsPerSecond: 1000 }`,
    ].join('\n'),
    { OKTA_TOKEN, SCIM_TOKEN },
  );
  return {
    okta,
    platform,
    harness,
    async close() {
      await harness.close();
      await Promise.all([okta.close(), platform.close()]);
    },
  };
}

/** Calls the org's API as another client of the same token would, spending its rate-limit bucket. */
export async function spendOktaCalls(okta: OktaEmulator, path: string, count: number): Promise<void> {
  for (let call = 0; call < count; call++) {
    const response = await fetch(`${okta.url}${path}`, { headers: { authorization: `SSWS ${OKTA_TOKEN}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  }
}

/** Requests that list a whole collection (users, groups, a group's members, the app's users or groups). */
export function listingCalls(calls: readonly CallRecord[]): CallRecord[] {
  return calls.filter((call) =>
    /^\/api\/v1\/(users|groups|groups\/[^/]+\/users|apps\/[^/]+\/(users|groups))$/.test(call.path),
  );
}

/** What the closing note of the issue quotes about a run. */
export function runMeasurement(label: string, run: RunRecord) {
  return {
    label,
    mode: run.mode,
    status: run.status,
    durationMs: run.durationMs,
    apiCalls: run.apiCalls,
    throttled: run.throttled,
    sourceObjects: run.source,
    counts: run.counts,
  };
}
