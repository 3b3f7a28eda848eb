import { builtSortedUnique, sortedUnique } from './sortedIds.js';

/**
 * Distinct ids numbered in sorted order. Work over a million memberships is done on these numbers:
 * sorting ranks sorts the ids, and typed arrays indexed by rank replace string sets and maps.
 */
export interface IdRanking {
  /** The distinct ids, sorted; an id's rank is its position. */
  readonly ids: readonly string[];
  readonly rankOf: ReadonlyMap<string, number>;
}

export function rankIds(ids: Iterable<string>): IdRanking {
  const sorted = sortedUnique([...ids]);
  const rankOf = new Map<string, number>();
  for (let rank = 0; rank < sorted.length; rank++) rankOf.set(sorted[rank]!, rank);
  return { ids: sorted, rankOf };
}

/** The ids of the given ranks, sorted and unique (the ranks are sorted in place). */
export function idsOfRanks(ranks: Int32Array, ranking: IdRanking): string[] {
  ranks.sort();
  const ids: string[] = [];
  for (let index = 0; index < ranks.length; index++) {
    const rank = ranks[index]!;
    if (index === 0 || ranks[index - 1] !== rank) ids.push(ranking.ids[rank]!);
  }
  return builtSortedUnique(ids);
}
