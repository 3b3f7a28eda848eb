import { describe, expect, it } from 'vitest';
import {
  isRankedList,
  listOfRanks,
  mergeRanked,
  type RankedList,
  rankedListOf,
} from '../../src/engine/rankedLists.js';

const ids = ['ann', 'bob', 'cyd', 'dan', 'eve'];
const ranked = (rankedIds: readonly string[], ...ranks: number[]): RankedList => ({
  ranks: Int32Array.from(ranks),
  rankedIds,
});

/** What a merge hands on: `-` for a member only before, `+` for one only after, with its rank. */
function merged(before: RankedList, after: RankedList) {
  const seen: string[] = [];
  const note = (side: string) => (id: string, rank?: number, rankedIds?: readonly string[]) => {
    expect(rankedIds).toBe(before.rankedIds);
    seen.push(`${side}${id}@${rank}`);
  };
  const comparable = mergeRanked(before, after, note('-'), note('+'));
  return { comparable, seen };
}

describe('lists built from ranks', () => {
  it('remember their ranks; plain lists have none', () => {
    const members = listOfRanks(Int32Array.from([1, 3]), ids);
    expect(members).toEqual(['bob', 'dan']);
    expect(isRankedList(members)).toBe(true);
    expect(rankedListOf(members)).toEqual(ranked(ids, 1, 3));
    expect(isRankedList(['bob', 'dan'])).toBe(false);
    expect(rankedListOf(['bob', 'dan'])).toBeUndefined();
  });
});

describe('mergeRanked', () => {
  it('hands on each member found on one side only, in order, with its rank in the before ranking', () => {
    expect(merged(ranked(ids, 0, 2, 4), ranked(ids, 1, 2, 3))).toEqual({
      comparable: true,
      seen: ['-ann@0', '+bob@1', '+dan@3', '-eve@4'],
    });
    expect(merged(ranked(ids), ranked(ids, 0, 4))).toEqual({ comparable: true, seen: ['+ann@0', '+eve@4'] });
    expect(merged(ranked(ids, 1, 3), ranked(ids))).toEqual({ comparable: true, seen: ['-bob@1', '-dan@3'] });
  });

  it('compares a list of another ranking by where its ids sit in the before ranking', () => {
    const platformSide = ['bob', 'dan', 'eve'];
    expect(merged(ranked(ids, 0, 3), ranked(platformSide, 0, 1, 2))).toEqual({
      comparable: true,
      seen: ['-ann@0', '+bob@1', '+eve@4'],
    });
    // Asked again with another before ranking, the translation is not the first one's.
    const wider = ['ann', 'bob', 'cyd', 'dan', 'eve', 'fay'];
    expect(merged(ranked(ids), ranked(platformSide, 2))).toEqual({ comparable: true, seen: ['+eve@4'] });
    expect(merged(ranked(wider), ranked(platformSide, 2))).toEqual({ comparable: true, seen: ['+eve@4'] });
    expect(merged(ranked(['bob', 'dan'], 0), ranked(['bob', 'dan'], 0, 1))).toEqual({
      comparable: true,
      seen: ['+dan@1'],
    });
    const shifted = ['aaron', 'ann', 'bob', 'cyd', 'dan', 'eve'];
    expect(merged(ranked(shifted), ranked(platformSide, 0, 2))).toEqual({
      comparable: true,
      seen: ['+bob@2', '+eve@5'],
    });
  });

  it('declines, handing on nothing, when the after ranking holds an id the before ranking lacks', () => {
    expect(merged(ranked(ids, 0), ranked(['bob', 'zed'], 0, 1))).toEqual({ comparable: false, seen: [] });
    expect(merged(ranked(['bob'], 0), ranked(['ann', 'bob'], 1))).toEqual({ comparable: false, seen: [] });
    expect(merged(ranked(['bob', 'dan'], 0), ranked(['ann', 'bob'], 1))).toEqual({
      comparable: false,
      seen: [],
    });
  });
});
