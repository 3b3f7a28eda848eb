import { isRankedList } from './rankedLists.js';

/**
 * Sorted, duplicate-free id lists. Membership work is done by sorting and merging such lists
 * rather than by hashing: with a million memberships, each hash lookup saved counts.
 */
export function sortedUnique(ids: string[]): string[] {
  ids.sort();
  let kept = 0;
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index]!;
    if (kept === 0 || ids[kept - 1] !== id) ids[kept++] = id;
  }
  ids.length = kept;
  return ids;
}

/** `ids` sorted and duplicate-free: the list itself when it is so already. */
export function asSortedUnique(ids: readonly string[]): readonly string[] {
  if (isRankedList(ids)) return ids;
  for (let index = 1; index < ids.length; index++) {
    if (!(ids[index - 1]! < ids[index]!)) return sortedUnique([...ids]);
  }
  return ids;
}

/** The position of `id` in the sorted list `ids`, found by bisection; -1 when absent. */
export function positionOf(ids: readonly string[], id: string): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ids[middle]! < id) low = middle + 1;
    else high = middle;
  }
  return ids[low] === id ? low : -1;
}

/** Walks two sorted lists once, handing each id held by only one side to its callback. */
export function mergeSorted(
  before: readonly string[],
  after: readonly string[],
  onlyBefore: (id: string) => void,
  onlyAfter: (id: string) => void,
): void {
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const old = before[i];
    const now = after[j];
    if (now === undefined || (old !== undefined && old < now)) {
      onlyBefore(old!);
      i++;
    } else if (old === undefined || now < old) {
      onlyAfter(now);
      j++;
    } else {
      i++;
      j++;
    }
  }
}
