import {
  FINISHED_STATUSES,
  opTotals,
  type RunPhase,
  type RunRecord,
  type RunStatus,
} from '../../model/run.js';
import { countsText, statusLabel } from './tenantsPage.js';

/** How far a run is: what its page shows at the top, and what its live stream sends as it moves. */
export interface RunProgress {
  readonly status: RunStatus;
  readonly phase: RunPhase | 'queued';
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  /** Ops finished per second since the run started. */
  readonly rate: number;
  /** Finished, or held for approval: nothing moves until someone acts, so the page stops following. */
  readonly settled: boolean;
  /** The page's own words for the status and the ops, so the live page reads as a reloaded one. */
  readonly statusText: string;
  readonly opsText: string;
}

export function isSettled(run: RunRecord): boolean {
  return FINISHED_STATUSES.includes(run.status) || run.status === 'held';
}

export function runProgress(run: RunRecord, now: Date): RunProgress {
  const settled = isSettled(run);
  const totals = opTotals(run.counts);
  const rate = run.startedAt ? ratePerSecond(totals.finished, run.startedAt, now) : 0;
  const phase = run.phase ?? 'queued';
  return {
    status: run.status,
    phase,
    done: totals.finished,
    total: totals.planned,
    failed: totals.failed,
    rate,
    settled,
    statusText: settled ? statusLabel(run) : `${statusLabel(run)} (phase ${phase})`,
    opsText: settled || !run.startedAt ? countsText(run) : `${countsText(run)} (${rate.toFixed(1)} ops/s)`,
  };
}

function ratePerSecond(finished: number, startedAt: string, now: Date): number {
  const seconds = Math.max(1, (now.getTime() - Date.parse(startedAt)) / 1000);
  return Math.round((finished / seconds) * 10) / 10;
}
