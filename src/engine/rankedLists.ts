/**
 * Id lists the engine builds from ranks (positions in a sorted, duplicate-free id list) remember
 * those ranks, so that a diff of two such lists compares numbers. Comparing the ids themselves
 * would read two strings scattered over the heap per member: with a million memberships, that
 * costs more than the rest of the diff.
 */
export interface RankedList {
  /** Ascending and unique. */
  readonly ranks: Int32Array;
  /** Sorted and unique; the list holds `rankedIds[rank]` for each rank. */
  readonly rankedIds: readonly string[];
}

const rankedLists = new WeakMap<readonly string[], RankedList>();

/** The ids of ascending, unique `ranks`; the list must not change afterwards. */
export function listOfRanks(ranks: Int32Array, rankedIds: readonly string[]): string[] {
  const ids: string[] = [];
  for (const rank of ranks) ids.push(rankedIds[rank]!);
  rankedLists.set(ids, { ranks, rankedIds });
  return ids;
}

/** The ranks `ids` was built from, if it was. */
export const rankedListOf = (ids: readonly string[]): RankedList | undefined => rankedLists.get(ids);

/** Whether `ids` was built from ranks, and is therefore sorted and unique. */
export const isRankedList = (ids: readonly string[]): boolean => rankedLists.has(ids);

interface Translation {
  readonly into: readonly string[];
  /** By rank in the translated list, the rank in `into`; absent when `into` lacks one of its ids. */
  readonly table: Int32Array | undefined;
}

/** Per sorted id list, where its ids sit in another sorted list: built once per pair. */
const translations = new WeakMap<readonly string[], Translation>();

function translation(from: readonly string[], into: readonly string[]): Int32Array | undefined {
  const known = translations.get(from);
  if (known?.into === into) return known.table;
  const table = positionsIn(from, into);
  translations.set(from, { into, table });
  return table;
}

function positionsIn(from: readonly string[], into: readonly string[]): Int32Array | undefined {
  // Only a full run compares lists of two rankings, and its user list holds every source user.
  if (into.length < from.length) return undefined;
  const table = new Int32Array(from.length);
  let position = 0;
  for (let rank = 0; rank < from.length; rank++) {
    const id = from[rank]!;
    while (position < into.length && into[position]! < id) position++;
    if (into[position] !== id) return undefined;
    table[rank] = position;
  }
  return table;
}

/** An id found on one side of a merge, with its rank in `rankedIds` when the merge knows it. */
export type MergeSide = (id: string, rank?: number, rankedIds?: readonly string[]) => void;

/**
 * Like `mergeSorted`, on ranks: hands each id held by only one list to its callback, in sorted
 * order, with its rank in `before.rankedIds`. Answers false, doing nothing, unless the ranks of
 * both lists can be compared.
 */
export function mergeRanked(
  before: RankedList,
  after: RankedList,
  onlyBefore: MergeSide,
  onlyAfter: MergeSide,
): boolean {
  const ids = before.rankedIds;
  // Ranks of `after` as ranks in `ids`; ascending still, as both id lists are sorted.
  const table = after.rankedIds === ids ? undefined : translation(after.rankedIds, ids);
  if (after.rankedIds !== ids && table === undefined) return false;
  const left = before.ranks;
  const right = after.ranks;
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const old = left[i]!;
    const now = table === undefined ? right[j]! : table[right[j]!]!;
    if (old < now) {
      onlyBefore(ids[old]!, old, ids);
      i++;
    } else if (now < old) {
      onlyAfter(ids[now]!, now, ids);
      j++;
    } else {
      i++;
      j++;
    }
  }
  for (; i < left.length; i++) onlyBefore(ids[left[i]!]!, left[i]!, ids);
  for (; j < right.length; j++) {
    const rank = table === undefined ? right[j]! : table[right[j]!]!;
    onlyAfter(ids[rank]!, rank, ids);
  }
  return true;
}
