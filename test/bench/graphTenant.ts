import type { RunMode, RunRecord } from '../../src/model/run.js';
import { type PipelineHarness, startPipelineHarness } from '../support/pipelineHarness.js';
import { CLIENT_ID, CLIENT_SECRET, type EmulatorHost, SCIM_TOKEN, TENANT_ID } from './emulatorHost.js';
import { progress, timed } from './figure.js';

/**
 * Writes per second the bench tenant may send: the schema's highest, because the default pacing
 * (50/s) protects real platforms and would measure the pacing instead of the sync.
 */
export const UNPACED_WRITES_PER_SECOND = 10_000;

/** A Graph tenant in `all` scope synced to the SCIM emulator through the real pipeline in this process. */
export function startGraphTenant(emulators: EmulatorHost): Promise<PipelineHarness> {
  return startPipelineHarness(
    [
      'source:',
      '  type: graph',
      `  tenantId: ${TENANT_ID}`,
      `  clientId: ${CLIENT_ID}`,
      '  clientSecret: env:BENCH_GRAPH_SECRET',
      '  scope: { mode: all }',
      `  graphBaseUrl: ${emulators.graphBaseUrl}`,
      `  authorityHost: ${emulators.authorityHost}`,
      `target: { url: "${emulators.scimUrl}", token: "env:BENCH_SCIM_TOKEN", maxRequestsPerSecond: ${UNPACED_WRITES_PER_SECOND} }`,
    ].join('\n'),
    { BENCH_GRAPH_SECRET: CLIENT_SECRET, BENCH_SCIM_TOKEN: SCIM_TOKEN },
  );
}

/** One run to its end, timed from the request to the finished record; a run that did not succeed stops the bench. */
export async function timedRun(
  harness: PipelineHarness,
  mode: RunMode,
): Promise<{ readonly run: RunRecord; readonly ms: number }> {
  const { value: run, ms } = await timed(() => harness.run(mode));
  progress(`${mode} run ${run.status} in ${ms} ms (${JSON.stringify(run.counts)})`);
  if (run.status !== 'succeeded')
    throw new Error(`the ${mode} run ended ${run.status}: ${run.error ?? JSON.stringify(run.failures)}`);
  return { run, ms };
}
