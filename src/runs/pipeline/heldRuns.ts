import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Plan } from '../../model/plan.js';
import type { RunRecord } from '../../model/run.js';
import { keys } from '../keys.js';
import type { SourceCheckpoint } from '../tenantState.js';
import type { RunContext } from './context.js';
import { summarise } from './finishRun.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A plan waiting for approval, with the checkpoint its run commits once approved and applied. */
export interface HeldRun {
  readonly plan: Plan;
  readonly checkpoint: SourceCheckpoint;
}

/** Stores the plan a safety guard held and ends the run `held`, to be approved or left to expire. */
export async function holdRun(run: RunContext, held: HeldRun, reason: string): Promise<RunRecord> {
  const { stores, runtime } = run.deps;
  const packed = await gzipAsync(Buffer.from(JSON.stringify(held)));
  // Redis refuses an expiry of 0 s: a fraction of an hour that rounds to nothing keeps the plan 1 s.
  const seconds = Math.max(1, Math.round(runtime.config.safety.heldRunExpiryHours * 3600));
  await stores.redis.set(keys.runPlan(run.tenant, run.request.runId), packed, 'EX', seconds);
  run.logger.warn({ reason }, 'run held by a safety guard; approve it to apply');
  return stores.runs.update(run.tenant, run.request.runId, {
    status: 'held',
    heldReason: reason,
    plan: summarise(held.plan),
    apiCalls: run.counter.calls,
    throttled: run.counter.throttles,
    ...run.phases.enter('done'),
  });
}

/** The held plan, or undefined once it has expired (or was never stored). */
export async function loadHeldRun(run: RunContext): Promise<HeldRun | undefined> {
  const packed = await run.deps.stores.redis.getBuffer(keys.runPlan(run.tenant, run.request.runId));
  if (!packed) return undefined;
  return JSON.parse((await gunzipAsync(packed)).toString('utf8')) as HeldRun;
}
