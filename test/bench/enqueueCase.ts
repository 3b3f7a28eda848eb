import { randomBytes } from 'node:crypto';
import { parseConfig } from '../../src/config/load.js';
import type { Op } from '../../src/model/plan.js';
import { silentLogger } from '../../src/observability/logger.js';
import { OP_JOB_OPTIONS } from '../../src/queue/queues.js';
import { opId } from '../../src/runs/opIds.js';
import { PhaseTimer } from '../../src/runs/phaseTimer.js';
import { applyPlan } from '../../src/runs/pipeline/applyPlan.js';
import { recordRun } from '../../src/runs/requestRun.js';
import { opsPerJob } from '../../src/runs/runQueues.js';
import { openBackend, wireTenant } from '../../src/service/compositionRoot.js';
import { benchRedisUrl, emitFigure, progress, runCase, timed } from './figure.js';

const JOBS = 100_000;
const CHUNK = 1_000;
/** The pipeline's own bookkeeping (duplicate check, planned counts) may cost this much over bare `addBulk`. */
const MAX_OVERHEAD = 1.3;
const POLL_MS = 10;

/** The ops of a 100,000-user initial sync, as the planner makes them. */
function createUserOps(): Op[] {
  return Array.from({ length: JOBS }, (_, index) => ({
    kind: 'createUser',
    externalId: `bench-user-${index}`,
    active: true,
    attributes: {
      userName: `user${index}@bench.example`,
      'name.givenName': `Given${index}`,
      'name.familyName': `Family${index}`,
      displayName: `Given${index} Family${index}`,
      'emails[type eq "work"].value': `user${index}@bench.example`,
      title: 'Engineer',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'Sales',
    },
  }));
}

/** A tenant of its own per measurement, so that neither finds the other's jobs already queued. */
function benchTenant() {
  const id = `bench-enqueue-${randomBytes(4).toString('hex')}`;
  const yaml = [
    'tenants:',
    `  - id: ${id}`,
    '    source: { type: file, path: ./bench-directory.json }',
    '    target: { url: "https://localhost:1/scim/v2", token: "env:BENCH_SCIM_TOKEN" }',
  ].join('\n');
  return parseConfig(yaml, process.cwd(), { env: { BENCH_SCIM_TOKEN: 'unused' } }).tenants[0]!;
}

/**
 * Child process: 100,000 op jobs into BullMQ through the pipeline's own path (`applyPlan`, which
 * checks for pending duplicates and counts what it planned), against bare `addBulk` in chunks.
 * No worker runs, so `applyPlan` would wait forever for the ops: the enqueue has ended when the
 * run record shows them planned, and the process exits after the figure.
 */
async function main(): Promise<void> {
  const backend = await openBackend({ url: benchRedisUrl() });
  const { stores, queues } = backend;
  const logger = silentLogger();
  const ops = createUserOps();
  try {
    const bareTenant = benchTenant().id;
    progress(`enqueue: ${JOBS} jobs with bare addBulk`);
    const bare = await timed(async () => {
      for (let start = 0; start < ops.length; start += CHUNK) {
        await queues.ops(bareTenant).addBulk(
          ops.slice(start, start + CHUNK).map((op) => {
            const id = opId(op);
            return {
              name: op.kind,
              data: { tenant: bareTenant, runId: 'bench', attempt: 0, ops: [op], opIds: [id] },
              opts: { ...OP_JOB_OPTIONS, jobId: id },
            };
          }),
        );
      }
    });

    const tenant = benchTenant();
    const here = wireTenant(backend, tenant, logger, { pollMs: 60_000 });
    const record = await recordRun(stores, {
      tenant: tenant.id,
      mode: 'full',
      dryRun: false,
      trigger: 'cli',
    });
    progress(`enqueue: ${JOBS} jobs through the pipeline`);
    const pipeline = await timed(async () => {
      const plan = { userOps: ops, groupOps: [], problems: [], managedUserCount: 0 };
      let failure: unknown;
      applyPlan(here.deps, record.id, plan, { phases: new PhaseTimer(Date.now) }).catch((error) => {
        failure = error;
      });
      for (;;) {
        if (failure !== undefined) throw failure;
        const current = await stores.runs.get(tenant.id, record.id);
        if ((current?.counts.createUser?.planned ?? 0) >= JOBS) return;
        await new Promise((wake) => setTimeout(wake, POLL_MS));
      }
    });
    const queued = await queues.ops(tenant.id).count();

    // Ops travel in batch jobs: every op is queued when the jobs hold them all.
    const expectedJobs = Math.ceil(JOBS / opsPerJob(tenant.target.maxRequestsPerSecond));
    const jobsPerSecond = Math.round((JOBS * 1000) / pipeline.ms);
    const bareJobsPerSecond = Math.round((JOBS * 1000) / bare.ms);
    const overhead = Number((pipeline.ms / bare.ms).toFixed(2));
    emitFigure({
      bench: 'enqueue',
      ops: JOBS,
      batchJobs: queued,
      ms: pipeline.ms,
      opsPerSecond: jobsPerSecond,
      bareAddBulkMs: bare.ms,
      bareOneJobPerOpPerSecond: bareJobsPerSecond,
      overhead,
      target: { overhead: MAX_OVERHEAD },
      ok: queued === expectedJobs && overhead <= MAX_OVERHEAD,
    });
    await Promise.all([
      queues.ops(bareTenant).obliterate({ force: true }),
      queues.ops(tenant.id).obliterate({ force: true }),
    ]);
  } finally {
    await backend.close();
  }
}

runCase(main);
