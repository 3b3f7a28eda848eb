import { randomBytes } from 'node:crypto';
import {
  FINISHED_STATUSES,
  type RunMode,
  type RunRecord,
  type RunRequest,
  type RunTrigger,
} from '../model/run.js';
import type { Stores } from './ports.js';
import type { RunQueues } from './runQueues.js';

export interface RunOrder {
  readonly tenant: string;
  readonly mode: RunMode;
  readonly dryRun?: boolean;
  readonly trigger: RunTrigger;
}

/** What `newRunId` makes: milliseconds in base 36, a dash, 8 hex digits. */
export const RUN_ID_PATTERN = /^[0-9a-z]{1,11}-[0-9a-f]{8}$/;

/** Sortable by time, unique across processes. */
export function newRunId(now: Date = new Date()): string {
  return `${now.getTime().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Records a queued run and hands it to whichever reconcile worker is free. */
export async function requestRun(stores: Stores, queues: RunQueues, order: RunOrder): Promise<RunRecord> {
  const record = await recordRun(stores, order);
  await queues.enqueueRun(requestOf(record));
  return record;
}

/** Records a queued run without enqueueing it (a run executed in this process). */
export async function recordRun(stores: Stores, order: RunOrder): Promise<RunRecord> {
  const now = new Date();
  const record: RunRecord = {
    id: newRunId(now),
    tenant: order.tenant,
    requestedMode: order.mode,
    mode: order.mode,
    dryRun: order.dryRun ?? false,
    trigger: order.trigger,
    status: 'queued',
    createdAt: now.toISOString(),
    counts: {},
    apiCalls: { source: 0, target: 0 },
    throttled: { source: 0, target: 0 },
    failures: [],
    failureCount: 0,
  };
  await stores.runs.create(record);
  return record;
}

export function requestOf(record: RunRecord): RunRequest {
  return {
    runId: record.id,
    tenant: record.tenant,
    mode: record.requestedMode,
    dryRun: record.dryRun,
    trigger: record.trigger,
  };
}

/** Follows a run to its end (or to a hold), calling `onProgress` with each reading. */
export async function waitForRun(
  stores: Stores,
  tenant: string,
  runId: string,
  onProgress?: (record: RunRecord) => void,
  pollMs = 250,
): Promise<RunRecord> {
  for (;;) {
    const record = await stores.runs.get(tenant, runId);
    if (!record) throw new Error(`run ${runId} of tenant ${tenant} does not exist`);
    onProgress?.(record);
    if (FINISHED_STATUSES.includes(record.status) || record.status === 'held') return record;
    await new Promise((wake) => setTimeout(wake, pollMs));
  }
}
