import { type FatalCause, fatalCauseOf, type RecordedFailure } from '../model/failure.js';
import { FINISHED_STATUSES, type RunStatus } from '../model/run.js';

/** What the decision needs of a run record. */
export interface RunOutcome {
  readonly status: RunStatus;
  readonly error?: string;
  readonly failureClass?: RecordedFailure;
  readonly finishedAt?: string;
}

export interface QuarantinePolicy {
  /** Consecutive runs failing for the same fatal cause before the tenant is quarantined. */
  readonly threshold: number;
  /** How long the schedule waits after the last failure: one step per further failure, the last repeats. */
  readonly backoffMs: readonly number[];
}

const HOUR_MS = 3_600_000;

export const DEFAULT_QUARANTINE_POLICY: QuarantinePolicy = {
  threshold: 3,
  backoffMs: [HOUR_MS, 6 * HOUR_MS, 24 * HOUR_MS],
};

export type QuarantineState =
  | { readonly quarantined: false }
  | {
      readonly quarantined: true;
      readonly cause: FatalCause;
      /** The newest failure's own words, for the operator. */
      readonly reason: string;
      readonly consecutiveFailures: number;
      /** When the first failure of the streak happened. */
      readonly since: string;
      /** Scheduled triggers before this instant are skipped. */
      readonly nextAllowedAt: string;
    };

/**
 * Runs stored before failures carried their class only have their error's text; reading it as it
 * was read then keeps a streak that began before an upgrade, and applies to nothing recorded since.
 */
const LEGACY_FATAL_PATTERNS: readonly (readonly [FatalCause, RegExp])[] = [
  [
    'credentials',
    /\b(401|403)\b|unauthori[sz]ed|forbidden|invalid[_ ]client|invalid[_ ]grant|AADSTS\d+|access denied|missing application permission/i,
  ],
  [
    'unreachable',
    /ENOTFOUND|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|CERT_|SELF_SIGNED|self[- ]signed certificate|unable to verify/i,
  ],
  ['configuration', /not in this worker's configuration|ENOENT|EACCES|EISDIR/],
];

/**
 * The fatal cause a failed run counts toward quarantine with: its class's when it has one (README,
 * "Failure classes"); a failure of any other class (a 500, a bad object, a bug) does not count.
 */
export function runFatalCause(run: RunOutcome): FatalCause | undefined {
  if (run.status !== 'failed') return undefined;
  if (run.failureClass) return fatalCauseOf(run.failureClass);
  const error = run.error;
  if (!error) return undefined;
  return LEGACY_FATAL_PATTERNS.find(([, pattern]) => pattern.test(error))?.[0];
}

/**
 * Decides from a tenant's runs, newest first, whether it is quarantined: the newest finished runs
 * failed `threshold` times in a row for the same fatal cause. A run that got through (even with
 * failures of single objects) ends the streak, and so does an operator's reset at `resetAt`.
 */
export function quarantineOf(
  runs: readonly RunOutcome[],
  options: { readonly resetAt?: string; readonly policy?: QuarantinePolicy } = {},
): QuarantineState {
  const policy = options.policy ?? DEFAULT_QUARANTINE_POLICY;
  const resetAt = options.resetAt ? Date.parse(options.resetAt) : Number.NEGATIVE_INFINITY;
  const streak: RunOutcome[] = [];
  let cause: FatalCause | undefined;
  for (const run of runs) {
    if (!FINISHED_STATUSES.includes(run.status) || run.status === 'expired') continue;
    if (!run.finishedAt || Date.parse(run.finishedAt) <= resetAt) break;
    const runCause = runFatalCause(run);
    if (!runCause || (cause && runCause !== cause)) break;
    cause = runCause;
    streak.push(run);
  }
  const newest = streak[0];
  const oldest = streak.at(-1);
  if (!cause || !newest || !oldest || streak.length < policy.threshold) return { quarantined: false };
  const step = Math.min(streak.length - policy.threshold, policy.backoffMs.length - 1);
  const backoff = policy.backoffMs[step] ?? 0;
  return {
    quarantined: true,
    cause,
    reason: newest.error ?? cause,
    consecutiveFailures: streak.length,
    since: oldest.finishedAt!,
    nextAllowedAt: new Date(Date.parse(newest.finishedAt!) + backoff).toISOString(),
  };
}

/** Whether a scheduled trigger may start a run now. Operators' own requests always may. */
export function scheduleAllowed(state: QuarantineState, now: Date): boolean {
  return !state.quarantined || now.getTime() >= Date.parse(state.nextAllowedAt);
}
