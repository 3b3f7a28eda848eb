import type { AttributeFilter } from '../model/attributeFilter.js';
import type { ScimPath } from '../model/scim.js';

export type MatchMethod = 'externalId' | 'userName' | 'email';

/** Okta's `app` scope arrives here as `assigned`: both mean "what the app is assigned to". */
export type EngineScope =
  | { readonly mode: 'all' }
  | { readonly mode: 'assigned' }
  | { readonly mode: 'groups'; readonly groups: readonly string[] /* ids or display names */ };

/** What the engine needs from a tenant's configuration, already merged by the shell. */
export interface EngineSettings {
  readonly scope: EngineScope;
  readonly filters: readonly AttributeFilter[];
  /** SCIM path → source attribute name: the connector's default table merged with tenant overrides. */
  readonly userMapping: Readonly<Record<ScimPath, string>>;
  readonly matching: readonly MatchMethod[];
  readonly deprovision: 'deactivate' | 'delete';
  readonly skipOutOfScopeDeletions: boolean;
  readonly membersPerPatch: number;
}
