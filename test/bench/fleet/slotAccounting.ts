import { CronExpressionParser } from 'cron-parser';

/** A scheduled run as the accounting needs it: when it was created (the tick) and started. */
export interface ScheduledRunTimes {
  readonly createdAt: string;
  readonly startedAt?: string;
}

export interface TenantSchedule {
  readonly id: string;
  readonly pattern: string;
  /** The tenant's runs with trigger `schedule`, any time. */
  readonly runs: readonly ScheduledRunTimes[];
}

export interface SlotAccount {
  /** Ticks the cron patterns put in the window, over every tenant. */
  readonly expected: number;
  /** Slots with at least one run. */
  readonly executed: number;
  readonly missed: readonly { readonly tenant: string; readonly slot: string }[];
  /** Slots with more than one run (each counted once, whatever the excess). */
  readonly doubled: readonly { readonly tenant: string; readonly slot: string; readonly runs: number }[];
  /** Per run of a slot in the window: its creation minus the slot time, in ms. */
  readonly createdLagMs: readonly number[];
  /** Per run of a slot in the window that started: its start minus the slot time, in ms. */
  readonly startedLagMs: readonly number[];
}

/** The pattern's ticks in [startMs, endMs), as epoch ms (UTC). */
export function slotsIn(pattern: string, startMs: number, endMs: number): number[] {
  const ticks = CronExpressionParser.parse(pattern, { currentDate: new Date(startMs - 1), tz: 'UTC' });
  const slots: number[] = [];
  for (;;) {
    const next = ticks.next().getTime();
    if (next >= endMs) return slots;
    slots.push(next);
  }
}

/** The last tick of the pattern at or before `atMs`: the slot a run created then belongs to. */
export function slotOf(pattern: string, atMs: number): number {
  return CronExpressionParser.parse(pattern, { currentDate: new Date(atMs + 1), tz: 'UTC' })
    .prev()
    .getTime();
}

/**
 * Slots expected in [startMs, endMs) against the scheduled runs: each run belongs to the last tick
 * at or before its creation; a slot with no run is missed, one with two or more is doubled. A run
 * late by a whole cycle therefore shows as a miss and a double, which is what it is to a user.
 */
export function accountSlots(
  tenants: readonly TenantSchedule[],
  startMs: number,
  endMs: number,
): SlotAccount {
  let expected = 0;
  let executed = 0;
  const missed: SlotAccount['missed'][number][] = [];
  const doubled: SlotAccount['doubled'][number][] = [];
  const createdLagMs: number[] = [];
  const startedLagMs: number[] = [];
  for (const tenant of tenants) {
    const bySlot = new Map<number, ScheduledRunTimes[]>();
    for (const slot of slotsIn(tenant.pattern, startMs, endMs)) bySlot.set(slot, []);
    expected += bySlot.size;
    for (const run of tenant.runs) {
      const created = Date.parse(run.createdAt);
      const slot = slotOf(tenant.pattern, created);
      const runs = bySlot.get(slot);
      if (!runs) continue;
      runs.push(run);
      createdLagMs.push(created - slot);
      if (run.startedAt) startedLagMs.push(Date.parse(run.startedAt) - slot);
    }
    for (const [slot, runs] of bySlot) {
      const at = new Date(slot).toISOString();
      if (runs.length === 0) missed.push({ tenant: tenant.id, slot: at });
      else executed++;
      if (runs.length > 1) doubled.push({ tenant: tenant.id, slot: at, runs: runs.length });
    }
  }
  return { expected, executed, missed, doubled, createdLagMs, startedLagMs };
}

/** The nearest-rank percentile of `values` (0 < p ≤ 100); NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
