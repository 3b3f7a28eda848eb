import type { OpKind } from '../model/plan.js';
import { bucketIndex, OP_DURATION_BUCKETS_SECONDS } from './metrics.js';

/** Fields of a tenant's metrics tally: `opSeconds|<kind>|<bucket>` counts ops, `opSecondsSum|<kind>` adds their time. */
export const OP_SECONDS_FIELD = 'opSeconds';
export const OP_SECONDS_SUM_FIELD = 'opSecondsSum';

/** The time each op of one batch took, gathered into tally increments: a few fields per batch, not per op. */
export class OpDurations {
  readonly #increments = new Map<string, number>();

  observe(kind: OpKind, seconds: number): void {
    this.#add(`${OP_SECONDS_FIELD}|${kind}|${bucketIndex(OP_DURATION_BUCKETS_SECONDS, seconds)}`, 1);
    this.#add(`${OP_SECONDS_SUM_FIELD}|${kind}`, seconds);
  }

  increments(): [field: string, increment: number][] {
    return [...this.#increments];
  }

  #add(field: string, increment: number): void {
    this.#increments.set(field, (this.#increments.get(field) ?? 0) + increment);
  }
}
