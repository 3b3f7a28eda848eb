/** The answer to on-demand provisioning (README, "On demand"): one trace per subject, Entra-style. */
export type StepStatus = 'success' | 'failure' | 'skipped';

export interface ProvisionStep {
  readonly step: 'import' | 'scope' | 'mapping' | 'match' | 'action';
  readonly status: StepStatus;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface SubjectTrace {
  /** The reference as the caller gave it (its first 256 characters; results keep the request's order). */
  readonly subject: string;
  readonly kind: 'user' | 'group';
  readonly status: StepStatus;
  readonly steps: readonly ProvisionStep[];
}

export interface ProvisionAnswer {
  readonly runId: string;
  readonly results: readonly SubjectTrace[];
  /** Set when a group had more members than are applied at once: the rest follow in this queued run. */
  readonly followUpRunId?: string;
  readonly note?: string;
}

export interface ProvisionRequest {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

/** Beyond Entra's one user or a group of five: up to 50 subjects, members past 100 in a queued run. */
export const PROVISION_LIMITS = { maxSubjects: 50, membersAppliedAtOnce: 100 } as const;

/**
 * A typeahead over the source: at least two characters, so one keystroke never asks the directory
 * for "every name starting with a", and at most 20 names per answer.
 */
export const SUGGESTION_LIMITS = { minText: 2, maxText: 256, maxResults: 20, defaultResults: 10 } as const;
