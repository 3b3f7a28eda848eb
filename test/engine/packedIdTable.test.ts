import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackedIdTable } from '../../src/engine/packedIdTable.js';

/** Pairs of ids with equal FNV-1a hashes; the second pair also has equal lengths. */
const SAME_HASH = ['costarring', 'liquid', 'declinate', 'macallums'];

// Short ids from few characters, so that repeats, prefixes and empty ids are common.
const id = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'b', 'é', '😀'), maxLength: 4 }),
  fc.constantFrom(...SAME_HASH, 'constructor', '__proto__'),
);

describe('PackedIdTable', () => {
  it('answers what a Map filled in the same order answers, -1 for absent ids', () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 40 }), fc.array(id), (keys, probes) => {
        const numbers = keys.map((_, index) => index * 3);
        const table = new PackedIdTable(keys, numbers);
        const map = new Map(keys.map((key, index) => [key, numbers[index]!]));
        for (const probe of [...keys, ...probes]) {
          // Another string object with the same characters, as a parsed platform id would be.
          const copy = [...probe].join('');
          expect(table.get(copy)).toBe(map.get(probe) ?? -1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('tells apart ids whose hashes are equal', () => {
    const table = new PackedIdTable(['costarring', 'declinate'], [1, 2]);
    expect([...SAME_HASH].map((key) => table.get(key))).toEqual([1, -1, 2, -1]);
  });

  it('refuses a negative number, which would read as an empty slot', () => {
    expect(() => new PackedIdTable(['a'], [-1])).toThrow(RangeError);
  });
});
