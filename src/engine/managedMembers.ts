import type { PlatformGroup, PlatformUser } from '../model/scim.js';
import { sortedUniqueRanks } from './idRanking.js';
import type { Match, PlatformIndex } from './match.js';
import { PackedIdTable } from './packedIdTable.js';
import type { RankedList } from './rankedLists.js';
import { positionOf } from './sortedIds.js';

/** A platform group's members as managed users, ranked in the run's managed externalIds. */
export type ManagedMembers = (target: PlatformGroup) => RankedList;

/** The users a run decided: sorted, distinct ids, and the match of each at the same position. */
export interface MatchedUsers {
  readonly userIds: readonly string[];
  readonly userMatches: readonly Match<PlatformUser>[];
}

/**
 * Members the platform state cannot name are left out. Platform ids resolve to ranks in
 * `managedExternalIds`, so each group sorts numbers rather than strings and a diff compares them
 * as they are; the lookup is built on first use, as most focused runs touch no group with members.
 * The ranks of one group are valid until the next call: every group reuses one buffer.
 *
 * @param managedExternalIds Sorted and unique: every managed externalId the platform state holds
 *   and every user subject of the run.
 */
export function managedMembersOf(
  index: PlatformIndex,
  managedExternalIds: readonly string[],
  { userIds, userMatches }: MatchedUsers,
): ManagedMembers {
  const build = () => {
    const platformIds: string[] = [];
    const ranks: number[] = [];
    managedExternalIds.forEach((externalId, rank) => {
      for (const user of index.usersByExternalId.get(externalId) ?? []) {
        platformIds.push(user.id);
        ranks.push(rank);
      }
    });
    // Users linked by externalId were named above already; adopted ones have no externalId yet.
    userMatches.forEach((match, position) => {
      if (match.kind === 'linked' && match.matchedBy !== 'externalId') {
        platformIds.push(match.target.id);
        ranks.push(positionOf(managedExternalIds, userIds[position]!));
      }
    });
    return new PackedIdTable(platformIds, ranks);
  };
  let rankOfMember: PackedIdTable | undefined;
  let buffer = new Int32Array(0);
  const none: RankedList = { ranks: buffer, rankedIds: managedExternalIds };
  return (target) => {
    if (target.memberIds.length === 0) return none;
    rankOfMember ??= build();
    if (buffer.length < target.memberIds.length) buffer = new Int32Array(target.memberIds.length);
    let count = 0;
    for (const memberId of target.memberIds) {
      const rank = rankOfMember.get(memberId);
      if (rank !== -1) buffer[count++] = rank;
    }
    return { ranks: sortedUniqueRanks(buffer.subarray(0, count)), rankedIds: managedExternalIds };
  };
}
