import type { DirectoryUser } from '../model/directory.js';
import { checkEachFilter, type FilterVerdict } from './filters.js';
import { FILTERED_OUT, type ScopeDecision } from './scope.js';
import type { EngineScope, EngineSettings } from './settings.js';

/** Characters of a source value an explanation repeats. */
const VALUE_SHOWN = 64;

/** Why one user is (not) in scope, spelled out: the tenant's scope rule, what decided, each filter's verdict. */
export interface ScopeExplanation {
  readonly inScope: boolean;
  /** The tenant's scope rule, e.g. `members of the scope groups [Sales, g-leads]`. */
  readonly rule: string;
  /** What decided: the rule's verdict, or the first filter the user failed with the user's value. */
  readonly decidedBy: string;
  readonly filters: readonly FilterVerdict[];
}

export function describeScopeRule(scope: EngineScope): string {
  if (scope.mode === 'all') return 'all users';
  if (scope.mode === 'assigned') return 'users and groups assigned to the app';
  return `members of the scope groups [${scope.groups.join(', ')}]`;
}

function quoted(value: string | null): string {
  if (value === null) return 'empty';
  return `'${value.length > VALUE_SHOWN ? `${value.slice(0, VALUE_SHOWN)}…` : value}'`;
}

/**
 * Spells out the scope decision the engine made for `user` (from `computeDesired`): filters are
 * checked only once the rule let the user in, so a failed filter decides only then.
 */
export function explainScope(
  user: DirectoryUser,
  decision: ScopeDecision,
  settings: EngineSettings,
): ScopeExplanation {
  const filters = checkEachFilter(settings.filters, user.attributes);
  const attributeOf = (index: number) => settings.filters[index]!.attribute;
  const failedAt = filters.findIndex((verdict) => !verdict.passed);
  const filteredOut = !decision.inScope && decision.reason.startsWith(FILTERED_OUT) && failedAt !== -1;
  const decidedBy = filteredOut
    ? `filter ${filters[failedAt]!.filter} failed: ${attributeOf(failedAt)} is ${quoted(filters[failedAt]!.actual)}`
    : decision.reason;
  return { inScope: decision.inScope, rule: describeScopeRule(settings.scope), decidedBy, filters };
}
