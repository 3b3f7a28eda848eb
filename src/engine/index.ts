/**
 * The decision of a run, as pure functions over plain data (no I/O, no clock):
 * scope → map → desired → match → diff → plan → guard, plus the incremental helpers.
 */
export { applyChanges } from './applyChanges.js';
export { changesBetween, type DesiredChanges } from './changes.js';
export { unknownGroupReferences } from './completeness.js';
export { computeDesired, type DesiredState, type DesiredUser } from './desired.js';
export { diffMembers, type MemberDelta, type MemberRules, userChanges } from './diff.js';
export { checkEachFilter, compileFilters, type FilterCheck, type FilterVerdict } from './filters.js';
export { emailsToLookUp, type Focus, focusOnSubjects, platformQueriesFor } from './focus.js';
export type { GroupTrace } from './groupDecision.js';
export { countDeprovisions, type GuardLimits, guardPlan, type SourceCounts } from './guard.js';
export { mapGroup, mappedPaths, mapUser } from './mapping.js';
export { type LinkMethod, type Match, USER_NAME_PATH, WORK_EMAIL_PATH } from './match.js';
export {
  type FocusedPlan,
  type FocusedPlanInput,
  type OwnedExternalIds,
  type PlanInput,
  planFocused,
  planFull,
} from './plan.js';
export { computeScope, type PushedGroup, type ScopeDecision, type ScopeResult } from './scope.js';
export { describeScopeRule, explainScope, type ScopeExplanation } from './scopeExplanation.js';
export type { EngineScope, EngineSettings, MatchMethod } from './settings.js';
export type { UserTrace } from './userDecision.js';
