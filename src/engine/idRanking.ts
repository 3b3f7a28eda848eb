import { sortedUnique } from './sortedIds.js';

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

/** Sorts `ranks` in place; the part of it that holds each rank once. */
export function sortedUniqueRanks(ranks: Int32Array): Int32Array {
  ranks.sort();
  let kept = 0;
  for (let index = 0; index < ranks.length; index++) {
    const rank = ranks[index]!;
    if (kept === 0 || ranks[kept - 1] !== rank) ranks[kept++] = rank;
  }
  return ranks.subarray(0, kept);
}
