import type { PlatformGroup, PlatformUser } from '../model/scim.js';
import { idsOfRanks, rankIds } from './idRanking.js';
import type { Match, PlatformIndex } from './match.js';

/** A platform group's members as externalIds of managed users, sorted and unique. */
export type ManagedMembers = (target: PlatformGroup) => string[];

/**
 * Members the platform state cannot name are left out. Platform ids resolve to ranks of the
 * managed externalIds, so each group sorts numbers rather than strings; the lookup is built on
 * first use, as most focused runs touch no group with members.
 */
export function managedMembersOf(
  index: PlatformIndex,
  isManagedUser: (externalId: string) => boolean,
  userMatches: ReadonlyMap<string, Match<PlatformUser>>,
): ManagedMembers {
  const build = () => {
    // Pairs in precedence order: a later pair for the same platform id wins.
    const platformIds: string[] = [];
    const externalIds: string[] = [];
    for (const [externalId, users] of index.usersByExternalId) {
      if (!isManagedUser(externalId)) continue;
      for (const user of users) {
        platformIds.push(user.id);
        externalIds.push(externalId);
      }
    }
    for (const [subjectId, match] of userMatches) {
      // A user linked by externalId is a managed user with that externalId, paired above already.
      if (match.kind !== 'linked' || match.matchedBy === 'externalId') continue;
      platformIds.push(match.target.id);
      externalIds.push(subjectId);
    }
    const ranking = rankIds(externalIds);
    const rankOfMember = new Map<string, number>();
    platformIds.forEach((platformId, pair) =>
      rankOfMember.set(platformId, ranking.rankOf.get(externalIds[pair]!)!),
    );
    return { ranking, rankOfMember };
  };
  let lookup: ReturnType<typeof build> | undefined;
  return (target) => {
    if (target.memberIds.length === 0) return [];
    lookup ??= build();
    const ranks = new Int32Array(target.memberIds.length);
    let count = 0;
    for (const memberId of target.memberIds) {
      const rank = lookup.rankOfMember.get(memberId);
      if (rank !== undefined) ranks[count++] = rank;
    }
    return idsOfRanks(ranks.subarray(0, count), lookup.ranking);
  };
}
