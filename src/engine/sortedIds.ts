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

/**
 * Lists built sorted and unique by the engine (desired and actual group members). Checking a
 * million ids again would cost more than the diff itself: each comparison reads two scattered strings.
 */
const builtSorted = new WeakSet<readonly string[]>();

/** Records that `ids` was built sorted and duplicate-free; the list must not change afterwards. */
export function builtSortedUnique<T extends readonly string[]>(ids: T): T {
  builtSorted.add(ids);
  return ids;
}

/** `ids` sorted and duplicate-free: the list itself when it is so already. */
export function asSortedUnique(ids: readonly string[]): readonly string[] {
  if (builtSorted.has(ids)) return ids;
  for (let index = 1; index < ids.length; index++) {
    if (!(ids[index - 1]! < ids[index]!)) return sortedUnique([...ids]);
  }
  return ids;
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
