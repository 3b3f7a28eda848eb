/**
 * A read-only map from ids to numbers (>= 0), for looking up ids that are other string objects
 * than the keys, as the member ids of parsed platform groups always are. A Map would compare each
 * looked-up id with key strings scattered over the heap, a cache miss or more per lookup. Here a
 * slot holds the key's hash, its number and where its characters sit in one packed string, so a
 * lookup reads one slot and one stretch of that string: a million lookups stay within a few MB.
 */
export class PackedIdTable {
  /** Open addressing; per slot: hash, number + 1 (0 = empty), start and length of the key in `text`. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly text: string;

  /** A key listed twice keeps its last number, as a Map would. */
  constructor(keys: readonly string[], numbers: ArrayLike<number>) {
    let size = 2;
    while (size < keys.length * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size * SLOT);
    this.text = keys.join('');
    const starts = new Int32Array(keys.length);
    for (let index = 1; index < keys.length; index++)
      starts[index] = starts[index - 1]! + keys[index - 1]!.length;
    // Last key first: a lookup stops at the first match along its probe sequence.
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index]!;
      const number = numbers[index]!;
      if (!(number >= 0)) throw new RangeError(`no number >= 0 for id ${key}`);
      const hash = hashOf(key);
      let slot = hash & this.mask;
      while (this.slots[slot * SLOT + 1] !== 0) slot = (slot + 1) & this.mask;
      const at = slot * SLOT;
      this.slots[at] = hash;
      this.slots[at + 1] = number + 1;
      this.slots[at + 2] = starts[index]!;
      this.slots[at + 3] = key.length;
    }
  }

  /** The number of `id`; -1 when it is not a key. */
  get(id: string): number {
    const hash = hashOf(id);
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot * SLOT;
      const stored = this.slots[at + 1]!;
      if (stored === 0) return -1;
      if (
        this.slots[at] === hash &&
        this.slots[at + 3] === id.length &&
        this.holds(this.slots[at + 2]!, id)
      ) {
        return stored - 1;
      }
    }
  }

  private holds(start: number, id: string): boolean {
    for (let offset = 0; offset < id.length; offset++) {
      if (this.text.charCodeAt(start + offset) !== id.charCodeAt(offset)) return false;
    }
    return true;
  }
}

const SLOT = 4;

/** FNV-1a over UTF-16 code units. */
function hashOf(id: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let offset = 0; offset < id.length; offset++) {
    hash = Math.imul(hash ^ id.charCodeAt(offset), 0x01000193);
  }
  return hash;
}
