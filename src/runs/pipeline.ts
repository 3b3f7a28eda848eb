import type { RunRecord, RunRequest } from '../model/run.js';
import { runAttributes, withSpan, withTrace } from '../observability/tracing.js';
import { applyPlan } from './pipeline/applyPlan.js';
import { type PipelineDependencies, type RunContext, startRun } from './pipeline/context.js';
import { expireRun, failRun, finishRun, summarise } from './pipeline/finishRun.js';
import { guardPhase } from './pipeline/guardPhase.js';
import { holdRun, loadHeldRun } from './pipeline/heldRuns.js';
import { checkpointOf, importPhase } from './pipeline/importPhase.js';
import { planPhase } from './pipeline/planPhase.js';
import type { HeldRun } from './ports.js';

/**
 * The one pipeline of a run, whatever triggered it: import → desired state → read the platform
 * (a full run reads it while the source is read) → plan → guard → (dry run stops) → user ops →
 * group ops → checkpoint → record. Full, incremental, dry and approved runs differ only in their
 * inputs; an approved run starts from the plan its guard held.
 */
export function executeRun(request: RunRequest, deps: PipelineDependencies): Promise<RunRecord> {
  const attributes = {
    ...runAttributes(request.tenant, request.runId),
    'dirsync.run.mode': request.mode,
    'dirsync.run.trigger': request.trigger,
    'dirsync.run.dry_run': request.dryRun,
  };
  return withTrace('dirsync.run', attributes, async (span) => {
    const record = await runPipeline(request, deps);
    span.setAttributes({ 'dirsync.run.status': record.status });
    if (record.error) span.fail(record.error);
    return record;
  });
}

async function runPipeline(request: RunRequest, deps: PipelineDependencies): Promise<RunRecord> {
  const run = await startRun(request, deps);
  const attributes = runAttributes(run.tenant, request.runId);
  try {
    let approved: HeldRun;
    if (request.trigger === 'approve') {
      const stored = await loadHeldRun(run);
      if (!stored) return expireRun(run);
      approved = stored;
    } else {
      const imported = await withSpan('dirsync.import', attributes, async (span) => {
        const read = await importPhase(run);
        span.setAttributes({
          'dirsync.run.mode': read.mode,
          'dirsync.source.users': read.snapshot.users.length,
          'dirsync.source.groups': read.snapshot.groups.length,
        });
        return read;
      });
      const plan = await withSpan('dirsync.plan', attributes, async (span) => {
        const planned = await planPhase(run, imported);
        span.setAttributes({
          'dirsync.plan.user_ops': planned.userOps.length,
          'dirsync.plan.group_ops': planned.groupOps.length,
          'dirsync.plan.problems': planned.problems.length,
        });
        return planned;
      });
      const verdict = await guardPhase(run, imported, plan);
      if (request.dryRun) {
        return finishRun(run, {
          plan: summarise(plan),
          ...(verdict.held ? { heldReason: verdict.reason } : {}),
        });
      }
      const checkpoint = checkpointOf(run, imported);
      if (verdict.held) return holdRun(run, { plan, checkpoint }, verdict.reason);
      approved = { plan, checkpoint };
    }
    await applyPhase(run, approved);
    return finishRun(run, {});
  } catch (error) {
    return failRun(run, error);
  }
}

/** Enqueues the plan's ops and follows them to their end; the checkpoint is committed once all are enqueued. */
async function applyPhase(run: RunContext, { plan, checkpoint }: HeldRun): Promise<void> {
  const { stores } = run.deps;
  await applyPlan(run.deps, run.request.runId, plan, {
    // Every op is now safely in Redis: the next incremental run may start from here.
    onEnqueued: () => stores.state.commitCheckpoint(run.tenant, checkpoint),
    phases: run.phases,
  });
}
