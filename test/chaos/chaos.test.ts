import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINISHED_STATUSES, opTotals, type RunRecord } from '../../src/model/run.js';
import type { RedisConnection } from '../../src/runs/redis/connection.js';
import { RedisRunStore } from '../../src/runs/redis/runStore.js';
import { connectRedis } from '../../src/service/redis.js';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { scimErrorResponse } from '../emulators/scim/scimError.js';
import { type ServiceProcess, startServiceProcess } from '../service/serviceProcess.js';
import { runCli } from '../support/cli.js';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { type EmbeddedRedis, startEmbeddedRedis } from '../support/embeddedRedis.js';
import { platformView } from '../support/scimState.js';
import { until } from '../support/until.js';
import {
  ADOPTED_USER_NAME,
  BYSTANDERS,
  type ChaosDirectory,
  expectedPlatform,
  firstDay,
  secondDay,
} from './chaosDirectory.js';

/**
 * The service under trouble, as an operator would meet it: two worker processes of the built CLI
 * over a private Redis with appendonly on, syncing a file directory into a SCIM platform that
 * answers 503 to a fifth of all requests and 429 (Retry-After 0–1 s) to a tenth. During the run a
 * worker is SIGKILLed twice (a replacement started each time) and Redis is killed and restarted.
 * Afterwards the platform must hold exactly what the directory says, and the run records must
 * account for every op.
 */
const TENANT = 'chaos';
const SCIM_TOKEN = 'chaos-scim-token-5d1e';
const DAY_ONE_USERS = 1500;

let redis: EmbeddedRedis;
let platform: ScimEmulator;
let connection: RedisConnection;
let runs: RedisRunStore;
let directory: string;
let configFile: string;
const workers: ServiceProcess[] = [];
let started = 0;

function startWorker(): ServiceProcess {
  const worker = startServiceProcess(
    `worker-${++started}`,
    ['start', '--role', 'worker', '--config', configFile],
    { CHAOS_SCIM_TOKEN: SCIM_TOKEN },
  );
  workers.push(worker);
  return worker;
}

function writeDirectory(content: ChaosDirectory): void {
  writeFileSync(join(directory, 'directory.json'), JSON.stringify(content));
}

const cli = (...args: string[]) =>
  runCli(['--config', configFile, ...args], { CHAOS_SCIM_TOKEN: SCIM_TOKEN }, 180_000);

/** Queues a full run through Redis, as `dirsync sync` does for an operator; answers its id. */
async function requestFullRun(): Promise<string> {
  const answer = await cli('sync', TENANT, '--full', '--json');
  expect(answer.code, answer.stderr).toBe(0);
  return (JSON.parse(answer.stdout) as { runId: string }).runId;
}

const isFinished = (record: RunRecord | undefined) =>
  record !== undefined && FINISHED_STATUSES.includes(record.status);

/** Resolves once the run has finished at least `share` of the user ops it planned. */
async function progressed(runId: string, share: number): Promise<void> {
  await until(
    `run ${runId} to finish ${share * 100}% of its ops`,
    async () => {
      const record = await runs.get(TENANT, runId);
      if (!record || record.phase === 'import' || record.phase === 'plan') return undefined;
      const { planned, finished } = opTotals(record.counts);
      return planned > 0 && finished >= planned * share ? true : undefined;
    },
    120_000,
  );
}

/** A 429 in the SCIM envelope whose Retry-After is 0 or 1 s. */
function throttled() {
  const answer = scimErrorResponse(429, undefined, 'too many requests');
  return { ...answer, headers: { ...answer.headers, 'retry-after': String(Math.round(Math.random())) } };
}

beforeAll(async () => {
  const certificates = ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!);
  [redis, platform] = await Promise.all([
    startEmbeddedRedis({ appendOnly: true }),
    startScimEmulator({ certificates, token: SCIM_TOKEN }),
  ]);
  connection = connectRedis({ url: redis.url });
  // The restart makes the connection drop once; it reconnects on its own.
  connection.on('error', () => {});
  runs = new RedisRunStore(connection);
  directory = mkdtempSync(join(tmpdir(), 'dirsync-chaos-'));
  configFile = join(directory, 'dirsync.yaml');
  writeFileSync(
    configFile,
    `redis: { url: "${redis.url}" }
tenants:
  - id: ${TENANT}
    source: { type: file, path: ./directory.json }
    target:
      url: "${platform.url}"
      token: env:CHAOS_SCIM_TOKEN
      concurrency: 16
      maxRequestsPerSecond: 400
    safety: { maxDeactivations: 1000, maxDeactivationRatio: 0.5 }
`,
  );
  const foreign = platform.store.seedUser({ ...BYSTANDERS.foreignUser });
  platform.store.seedUser({ ...BYSTANDERS.handmadeUser });
  platform.store.seedUser({ userName: ADOPTED_USER_NAME, active: true });
  platform.store.seedGroup({ ...BYSTANDERS.foreignGroup, members: [{ value: foreign.id }] });
  startWorker();
  startWorker();
  await Promise.all(workers.map((worker) => worker.waitFor(/worker role started/, 60_000)));
}, 90_000);

afterAll(async () => {
  for (const worker of workers) worker.kill();
  connection?.disconnect();
  await Promise.all([redis?.stop(), platform?.close()]);
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('a full run under platform faults, worker crashes and a Redis restart', () => {
  const dayOne = firstDay(DAY_ONE_USERS);
  const dayTwo = secondDay(DAY_ONE_USERS);
  let chaosRunId: string;

  it('syncs day one on a quiet platform', async () => {
    writeDirectory(dayOne);
    const runId = await requestFullRun();
    const record = await until(
      'day one to finish',
      async () => {
        const current = await runs.get(TENANT, runId);
        return isFinished(current) ? current : undefined;
      },
      120_000,
    );
    expect(record.status).toBe('succeeded');
  }, 150_000);

  it('survives two worker SIGKILLs and a Redis restart while applying day two', async () => {
    writeDirectory(dayTwo);
    platform.server.setFaults({ rate503: 0.2, rate429: 0.1, retryAfterSeconds: 1, throttled });
    chaosRunId = await requestFullRun();

    await progressed(chaosRunId, 0.15);
    workers[0]!.kill();
    startWorker();
    await progressed(chaosRunId, 0.35);
    await redis.restart();
    await progressed(chaosRunId, 0.55);
    workers[1]!.kill();
    startWorker();

    const record = await until(
      'the chaos run to finish',
      async () => {
        const current = await runs.get(TENANT, chaosRunId);
        return isFinished(current) ? current : undefined;
      },
      180_000,
    );
    // Every fault was transient and every crash recoverable: the one run ends clean, nothing failed.
    expect(record.error).toBeUndefined();
    expect(record.status).toBe('succeeded');
    expect(record.failureCount).toBe(0);
  }, 300_000);

  it('leaves the platform exactly as the directory says: no duplicate, no lost change', async () => {
    platform.server.setFaults({});
    const view = platformView(platform);
    const userNames = view.users.map((user) => user.userName.toLowerCase());
    expect(new Set(userNames).size).toBe(userNames.length);
    const externalIds = view.users.flatMap((user) => (user.externalId ? [user.externalId] : []));
    expect(new Set(externalIds).size).toBe(externalIds.length);
    expect(view).toEqual(expectedPlatform(dayOne, dayTwo));
  });

  it('accounts for every op and every failure in the run records, and leaves no run unfinished', async () => {
    const answer = await cli('runs', TENANT, '--json');
    expect(answer.code, answer.stderr).toBe(0);
    const all = JSON.parse(answer.stdout) as RunRecord[];
    expect(all.map((record) => record.id)).toContain(chaosRunId);
    for (const record of all) {
      expect(isFinished(record), `run ${record.id} is ${record.status}`).toBe(true);
      const { planned, finished, failed } = opTotals(record.counts);
      expect(finished, `run ${record.id}: ops finished of planned`).toBe(planned);
      // Each failed op is listed once with its reason; so is each object the plan could not decide.
      expect(record.failures).toHaveLength(record.failureCount);
      expect(record.failures.filter((failure) => failure.op !== undefined)).toHaveLength(failed);
    }
  });

  it('plans nothing on the next run: the platform is already right', async () => {
    const runId = await requestFullRun();
    const record = await until(
      'the check run to finish',
      async () => {
        const current = await runs.get(TENANT, runId);
        return isFinished(current) ? current : undefined;
      },
      60_000,
    );
    expect(record.status).toBe('succeeded');
    expect(record.counts).toEqual({});
  }, 90_000);
});
