import type { ExplainAnswer, ExplainKind } from '../model/explain.js';
import type { ProvisionRequest } from '../model/provision.js';
import type { ProvisioningEvent } from '../model/run.js';
import { RunCallCounter } from './callCounter.js';
import { failedLookupInputs, planOnDemand, traceInputsOf } from './onDemandPlan.js';
import type { PipelineDependencies } from './pipeline/context.js';
import { subjectTraces } from './provisionTrace.js';

const NOTHING_APPLIED: ReadonlyMap<string, ProvisioningEvent> = new Map();

/**
 * Explain (README, "On demand"): why a user or group is (not) on the platform and what the next
 * run would do with it — provision on demand's lookup, plan and trace, without applying: no op,
 * no run record, no event, no cursor.
 */
export async function explainSubject(
  subject: string,
  kind: ExplainKind,
  deps: Pick<PipelineDependencies, 'stores' | 'runtime'>,
): Promise<ExplainAnswer> {
  const request: ProvisionRequest =
    kind === 'user' ? { users: [subject], groups: [] } : { users: [], groups: [subject] };
  const { settings, config } = deps.runtime;
  const decision = await planOnDemand(request, deps, new RunCallCounter());
  const inputs =
    decision.kind === 'planned'
      ? traceInputsOf(decision.planned, settings, NOTHING_APPLIED)
      : failedLookupInputs(request, decision.reason, settings);
  const [trace] = subjectTraces(request, inputs);
  return { tenant: config.id, dryRun: true, ...trace! };
}
