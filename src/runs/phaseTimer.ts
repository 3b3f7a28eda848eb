import type { RunPhase, RunRecord } from '../model/run.js';

/**
 * Wall time per phase of one run, kept in the run record so an operator sees where a slow run
 * spent its time (reading the source, planning, or applying users or groups).
 */
export class PhaseTimer {
  readonly #spent: Partial<Record<RunPhase, number>> = {};
  #current: { readonly phase: RunPhase; readonly since: number } | undefined;

  constructor(private readonly now: () => number) {}

  /** Ends the current phase and starts `phase`; returns the record fields to write. */
  enter(phase: RunPhase): Pick<RunRecord, 'phase' | 'phaseMs'> {
    const at = this.now();
    if (this.#current) {
      const { phase: ended, since } = this.#current;
      this.#spent[ended] = (this.#spent[ended] ?? 0) + (at - since);
    }
    this.#current = phase === 'done' ? undefined : { phase, since: at };
    return { phase, phaseMs: { ...this.#spent } };
  }
}
