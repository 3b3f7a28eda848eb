import type { PlatformGroup, PlatformUser } from '../model/scim.js';
import { idsOfRanks } from './idRanking.js';
import type { Match, PlatformIndex } from './match.js';
import { positionOf } from './sortedIds.js';

/** A platform group's members as externalIds of managed users, sorted and unique. */
export type ManagedMembers = (target: PlatformGroup) => string[];

/**
 * Members the platform state cannot name are left out. Platform ids resolve to ranks in
 * `managedExternalIds`, so each group sorts numbers rather than strings; the lookup is built on
 * first use, as most focused runs touch no group with members.
 *
 * @param managedExternalIds Sorted and unique: every managed externalId the platform state holds
 *   and every user subject of the run.
 */
export function managedMembersOf(
  index: PlatformIndex,
  managedExternalIds: readonly string[],
  userMatches: ReadonlyMap<string, Match<PlatformUser>>,
): ManagedMembers {
  const build = () => {
    const rankOfMember = new Map<string, number>();
    managedExternalIds.forEach((externalId, rank) => {
      for (const user of index.usersByExternalId.get(externalId) ?? []) rankOfMember.set(user.id, rank);
    });
    for (const [subjectId, match] of userMatches) {
      // Users linked by externalId were named above already; adopted ones have no externalId yet.
      if (match.kind === 'linked' && match.matchedBy !== 'externalId')
        rankOfMember.set(match.target.id, positionOf(managedExternalIds, subjectId));
    }
    return rankOfMember;
  };
  let rankOfMember: Map<string, number> | undefined;
  // Reused from group to group: the ranks are only sorted and read before the next group.
  let ranks = new Int32Array(0);
  return (target) => {
    if (target.memberIds.length === 0) return [];
    rankOfMember ??= build();
    if (ranks.length < target.memberIds.length) ranks = new Int32Array(target.memberIds.length);
    let count = 0;
    for (const memberId of target.memberIds) {
      const rank = rankOfMember.get(memberId);
      if (rank !== undefined) ranks[count++] = rank;
    }
    return idsOfRanks(ranks.subarray(0, count), managedExternalIds);
  };
}
