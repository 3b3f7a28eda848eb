import type { SubjectTrace } from './provision.js';

/** What explain looks a subject up as: a user by default. */
export type ExplainKind = SubjectTrace['kind'];

/**
 * The answer to explain (README, "On demand"): the step trace provision on demand would give,
 * with nothing applied — the action step says what the next run would do.
 */
export interface ExplainAnswer extends SubjectTrace {
  readonly tenant: string;
  readonly dryRun: true;
}
