import type { DirectorySnapshot } from '../model/directory.js';
import type { ScimGroupState, ScimUserState } from '../model/scim.js';
import { mapGroup, userMapper } from './mapping.js';
import { decideScope } from './scope.js';
import type { EngineSettings } from './settings.js';

export interface DesiredUser {
  readonly state: ScimUserState;
  readonly inScope: boolean;
  readonly reason: string;
}

/** What the platform should hold according to the source, before looking at the platform. */
export interface DesiredState {
  /** Every source user, in scope or not, by source id (= platform externalId). */
  readonly users: ReadonlyMap<string, DesiredUser>;
  /** Pushed groups by source id; members are in-scope users, sorted. */
  readonly groups: ReadonlyMap<string, ScimGroupState>;
  /** Every source group id, pushed or not: a platform group carrying one is managed. */
  readonly sourceGroupIds: ReadonlySet<string>;
  /** Scope references that name no group of the source, for the operator. */
  readonly unresolvedGroups: readonly string[];
}

export function computeDesired(snapshot: DirectorySnapshot, settings: EngineSettings): DesiredState {
  const scope = decideScope(snapshot, settings);
  const mapUser = userMapper(settings.userMapping);
  const users = new Map<string, DesiredUser>();
  snapshot.users.forEach((user, position) => {
    const { inScope, reason } = scope.decisions[position]!;
    users.set(user.id, { state: mapUser(user), inScope, reason });
  });
  const groups = new Map<string, ScimGroupState>();
  for (const pushed of scope.pushedGroups) {
    groups.set(pushed.group.id, mapGroup(pushed.group, pushed.memberUserIds));
  }
  return {
    users,
    groups,
    sourceGroupIds: new Set(snapshot.groups.map((group) => group.id)),
    unresolvedGroups: scope.unresolvedGroups,
  };
}
