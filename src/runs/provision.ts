import { PROVISION_LIMITS, type ProvisionAnswer, type ProvisionRequest } from '../model/provision.js';
import type { ProvisioningEvent } from '../model/run.js';
import { runAttributes, withTrace } from '../observability/tracing.js';
import {
  checkSubjectCount,
  failedLookupInputs,
  lookedUpInputs,
  planOnDemand,
  traceInputsOf,
} from './onDemandPlan.js';
import { applyPlan } from './pipeline/applyPlan.js';
import { type PipelineDependencies, startRun } from './pipeline/context.js';
import { ON_DEMAND_PRIORITY } from './pipeline/enqueueOps.js';
import { failRun, finishRun } from './pipeline/finishRun.js';
import { importedTraces, type ProvisionProgress, subjectTraces } from './provisionTrace.js';
import { recordRun, requestOf } from './requestRun.js';

export { ProvisionLimitError } from './onDemandPlan.js';

export interface ProvisionDependencies extends PipelineDependencies {
  /** Queues a full run for what is not applied at once (members of very large groups). */
  readonly requestFollowUp: () => Promise<string>;
  /** Told the run's id as soon as it is recorded, so a caller can follow its progress. */
  readonly onRunRecorded?: (runId: string) => void;
  /**
   * Told the traces as they grow: after the lookup (import), after planning (scope, mapping,
   * match, the action planned) and at the end (the action's outcome), for a caller that shows
   * steps as they arrive. A lookup that failed as a whole goes straight to the end.
   */
  readonly onSteps?: (progress: ProvisionProgress) => void;
}

/**
 * Provision on demand (README, "On demand"): the run pipeline narrowed to named subjects — a lookup instead of
 * a read, a plan focused on them, ops ahead of scheduled work — answered with a trace per subject.
 * It takes no tenant lock and commits no cursor: it reads no change feed, and its ops converge
 * objects the same way a concurrent run's would. No safety guard: an operator named each subject.
 */
export async function provisionOnDemand(
  request: ProvisionRequest,
  deps: ProvisionDependencies,
): Promise<ProvisionAnswer> {
  const subjectCount = checkSubjectCount(request);
  const { stores, runtime } = deps;
  const tenant = runtime.config.id;
  const record = await recordRun(stores, { tenant, mode: 'incremental', trigger: 'provision' });
  deps.onRunRecorded?.(record.id);
  const run = await startRun(requestOf(record), deps);
  const { counter, phases, started } = run;
  try {
    const progress = (
      stage: ProvisionProgress['stage'],
      results: ProvisionProgress['results'],
      note?: string,
    ) => deps.onSteps?.({ stage, runId: record.id, results, ...(note ? { note } : {}) });
    const decision = await planOnDemand(request, deps, counter, {
      afterLookup: (lookup) =>
        progress('imported', importedTraces(request, lookedUpInputs(lookup, runtime.settings))),
      beforePlan: async () => {
        await stores.runs.update(tenant, record.id, phases.enter('plan'));
      },
    });
    if (decision.kind === 'lookupFailed') {
      // Every subject's trace ends at its import step, with the source's reason; the run fails.
      const { reason } = decision;
      await failRun(run, decision.error);
      const results = subjectTraces(request, failedLookupInputs(request, reason, runtime.settings));
      progress('applied', results);
      return { runId: record.id, results };
    }
    const { planned } = decision;
    progress('planned', subjectTraces(request, traceInputsOf(planned, runtime.settings, new Map())));
    const { plan, deferredMembers } = planned;
    const namedGroups = new Set(
      request.groups.flatMap((reference) => planned.lookup.resolved[reference] ?? []),
    );
    const groupOps = plan.groupOps.filter((op) => {
      // A group applied in part must not lose the members it already has beyond the part.
      if (op.kind === 'removeMembers' && deferredMembers.has(op.externalId)) return false;
      // A named user joins only groups already on the platform; a group not there yet gets its
      // members when it is provisioned or a run creates it.
      return !(op.kind === 'addMembers' && !op.targetId && !namedGroups.has(op.externalId));
    });
    const attributes = { ...runAttributes(tenant, record.id), 'dirsync.provision.subjects': subjectCount };
    await withTrace('dirsync.provision', attributes, () =>
      applyPlan(deps, record.id, { ...plan, groupOps }, { priority: ON_DEMAND_PRIORITY, phases }),
    );
    await finishRun(run, {});

    const followUpRunId = deferredMembers.size > 0 ? await deps.requestFollowUp() : undefined;
    const outcomes = await outcomesOf(deps, record.id, started);
    const results = subjectTraces(request, traceInputsOf(planned, runtime.settings, outcomes));
    const followUp = followUpRunId
      ? {
          followUpRunId,
          note: `members beyond the first ${PROVISION_LIMITS.membersAppliedAtOnce} of a group are applied by run ${followUpRunId}`,
        }
      : undefined;
    progress('applied', results, followUp?.note);
    return { runId: record.id, results, ...followUp };
  } catch (error) {
    await failRun(run, error);
    throw error;
  }
}

async function outcomesOf(
  deps: PipelineDependencies,
  runId: string,
  started: Date,
): Promise<Map<string, ProvisioningEvent>> {
  const outcomes = new Map<string, ProvisioningEvent>();
  // The run's events all come after its start.
  let after: string | undefined = deps.stores.events.cursorAt(started);
  for (;;) {
    const page = await deps.stores.events.read(deps.runtime.config.id, {
      runId,
      limit: 1000,
      ...(after ? { after } : {}),
    });
    for (const event of page.events) outcomes.set(event.externalId, event);
    if (!page.next || (page.events.length < 1000 && !page.scanLimited)) return outcomes;
    after = page.next;
  }
}
