import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opTotals, type RunRecord } from '../../src/model/run.js';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { type EmbeddedCluster, startEmbeddedCluster } from '../support/embeddedCluster.js';
import { type PipelineHarness, startPipelineHarness } from '../support/pipelineHarness.js';
import { platformView } from '../support/scimState.js';
import { until } from '../support/until.js';
import { BYSTANDERS, expectedPlatform, firstDay } from './chaosDirectory.js';

const SCIM_TOKEN = 'failover-scim-token-8c2b';
/** Enough users for a run of several seconds at the pace below, so the master dies mid-run. */
const USERS = 1500;
const WRITES_PER_SECOND = 250;

/**
 * A tenant's first full run on a 3-master Redis Cluster, whose master holding the tenant's slot is
 * SIGKILLed while the run applies its ops: the replica takes over and the run still lands every
 * object on the platform exactly once.
 */
describe('a run on a Redis Cluster whose master dies mid-run', () => {
  const directory = firstDay(USERS);
  let cluster: EmbeddedCluster;
  let platform: ScimEmulator;
  let harness: PipelineHarness;
  let folder: string;
  const runs: RunRecord[] = [];

  beforeAll(async () => {
    const certificates = ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!);
    [cluster, platform] = await Promise.all([
      startEmbeddedCluster(),
      startScimEmulator({ certificates, token: SCIM_TOKEN }),
    ]);
    const foreign = platform.store.seedUser({ ...BYSTANDERS.foreignUser });
    platform.store.seedUser({ ...BYSTANDERS.handmadeUser });
    platform.store.seedGroup({ ...BYSTANDERS.foreignGroup, members: [{ value: foreign.id }] });
    folder = mkdtempSync(join(tmpdir(), 'dirsync-failover-'));
    const file = join(folder, 'directory.json');
    writeFileSync(file, JSON.stringify(directory));
    harness = await startPipelineHarness(
      [
        `source: { type: file, path: "${file}" }`,
        `target: { url: "${platform.url}", token: "env:SCIM_TOKEN", concurrency: 8, maxRequestsPerSecond: ${WRITES_PER_SECOND} }`,
        'safety: { maxDeactivations: 1000, maxDeactivationRatio: 0.5 }',
      ].join('\n'),
      { SCIM_TOKEN },
      { cluster: { nodes: cluster.nodes } },
    );
  }, 90_000);

  afterAll(async () => {
    await harness?.close();
    await Promise.all([cluster?.stop(), platform?.close()]);
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('completes the run after the replica of the tenant slot master takes over', async () => {
    const tenant = harness.tenant.id;
    const running = harness.run('full');
    const runId = await until(
      'the run to be recorded',
      async () => (await harness.stores.runs.list(tenant, 1))[0]?.id,
    );
    await until(
      'the run to apply a fifth of its ops',
      async () => {
        const record = await harness.stores.runs.get(tenant, runId);
        if (!record) return undefined;
        const { planned, finished } = opTotals(record.counts);
        return planned > 0 && finished >= planned / 5 ? true : undefined;
      },
      60_000,
    );
    const master = await cluster.masterOf(tenant);
    const beforeKill = opTotals((await harness.stores.runs.get(tenant, runId))!.counts);
    await cluster.kill(master);
    // The master died while ops were still to apply, not after the run.
    expect(beforeKill.finished).toBeLessThan(beforeKill.planned);
    const successor = await cluster.waitForFailover(tenant, master);
    expect(successor).not.toBe(master);

    runs.push(await running);
    // A run the failover made fail is retried, as an operator or the next schedule would.
    if (runs[0]!.status !== 'succeeded') runs.push(await harness.run('full'));
    console.log(
      JSON.stringify({
        measured: 'run across a Redis Cluster failover',
        killed: master,
        successor,
        runs: runs.map((run) => ({ status: run.status, error: run.error, durationMs: run.durationMs })),
      }),
    );
    expect(runs.at(-1)!.status).toBe('succeeded');
    expect(runs.at(-1)!.failureCount).toBe(0);
  }, 180_000);

  it('leaves the platform exactly as the directory says, each object created once', () => {
    expect(platformView(platform)).toEqual(expectedPlatform(directory, directory));
    const created = (resource: string) =>
      platform.server.calls.filter((call) => call.method === 'POST' && call.path.endsWith(`/${resource}`))
        .length;
    expect(created('Users')).toBe(directory.users.filter((user) => user.active).length);
    expect(created('Groups')).toBe(directory.groups.length);
  });
});
