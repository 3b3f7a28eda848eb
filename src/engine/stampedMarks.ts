/**
 * A set of small integers that empties in O(1): each round stamps its members with a new number,
 * so a walk repeated for thousands of groups allocates no set and clears no array.
 */
export class StampedMarks {
  private readonly stamps: Uint32Array;
  private round = 1;

  constructor(size: number) {
    this.stamps = new Uint32Array(size);
  }

  clear(): void {
    this.round++;
  }

  /** Marks `index`; false when it was marked already in this round. */
  add(index: number): boolean {
    if (this.stamps[index] === this.round) return false;
    this.stamps[index] = this.round;
    return true;
  }
}
