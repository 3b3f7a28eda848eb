import type { GuardVerdict, Plan } from '../model/plan.js';

export interface GuardLimits {
  readonly maxDeactivations: number;
  /** Of the managed users. */
  readonly maxDeactivationRatio: number;
  /** Of the previous complete read's user count. */
  readonly minSourceRatio: number;
}

export interface SourceCounts {
  readonly sourceUserCount: number;
  readonly previousSourceUserCount?: number;
}

/** User ops that take an account away: deactivations, deletions, and updates that set active false. */
export function countDeprovisions(plan: Plan): number {
  let count = 0;
  for (const op of plan.userOps) {
    if (op.kind === 'deactivateUser' || op.kind === 'deleteUser') count++;
    else if (
      op.kind === 'updateUser' &&
      op.changes.some((change) => change.path === 'active' && change.to === false)
    ) {
      count++;
    }
  }
  return count;
}

/**
 * GUARD (README, "Safety"): holds a plan that would take away too many accounts, or that comes from a
 * source that suddenly returned nothing or far less than before — the classic mass-deletion bug.
 */
export function guardPlan(plan: Plan, limits: GuardLimits, counts: SourceCounts): GuardVerdict {
  const reasons: string[] = [];
  const managed = plan.managedUserCount;
  const deprovisions = countDeprovisions(plan);
  if (deprovisions > limits.maxDeactivations) {
    reasons.push(
      `${deprovisions} users would be deactivated or deleted, over maxDeactivations ${limits.maxDeactivations}`,
    );
  }
  if (managed > 0 && deprovisions > limits.maxDeactivationRatio * managed) {
    reasons.push(
      `${deprovisions} of ${managed} managed users would be deactivated or deleted, over maxDeactivationRatio ${limits.maxDeactivationRatio}`,
    );
  }
  if (counts.sourceUserCount === 0 && managed > 0) {
    reasons.push(`the source returned no users while ${managed} platform users are managed`);
  }
  const previous = counts.previousSourceUserCount;
  if (previous !== undefined && counts.sourceUserCount < limits.minSourceRatio * previous) {
    reasons.push(
      `the source returned ${counts.sourceUserCount} users, under minSourceRatio ${limits.minSourceRatio} of the previous ${previous}`,
    );
  }
  return reasons.length === 0 ? { held: false } : { held: true, reason: reasons.join('; ') };
}
