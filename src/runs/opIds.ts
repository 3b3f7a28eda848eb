import { createHash } from 'node:crypto';
import type { Op } from '../model/plan.js';

/**
 * Deterministic: the same op for the same object and desired state gets the same id, so
 * planning a change again while it is still pending adds no duplicate (see PendingOps).
 */
export function opId(op: Op): string {
  return `${op.kind}-${digest(canonicalJson(op))}`;
}

/**
 * JSON with object keys sorted: the worker's parsed copy of an op lists its keys in the schema's
 * order, not the planner's, and must still get the id the op was enqueued under. Written out by
 * hand, into one list of pieces, because every planned op passes through here: a sorting
 * replacer rebuilds every object, and a string per nested value was a sync's largest garbage.
 */
function canonicalJson(value: unknown): string {
  const pieces: string[] = [];
  appendCanonical(value, pieces);
  return pieces.join('');
}

function appendCanonical(value: unknown, pieces: string[]): void {
  if (value === null || typeof value !== 'object') {
    pieces.push(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    pieces.push('[');
    for (let index = 0; index < value.length; index++) {
      if (index > 0) pieces.push(',');
      appendCanonical(value[index], pieces);
    }
    pieces.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!isSorted(keys)) keys.sort();
  let first = true;
  pieces.push('{');
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    pieces.push(first ? '' : ',', quotedKey(key), ':');
    first = false;
    appendCanonical(item, pieces);
  }
  pieces.push('}');
}

function isSorted(keys: readonly string[]): boolean {
  for (let index = 1; index < keys.length; index++) if (keys[index - 1]! > keys[index]!) return false;
  return true;
}

/** Keys are the op schema's and the mapping's attribute names: few, and met again and again. */
const QUOTED_KEYS = new Map<string, string>();
const QUOTED_KEYS_KEPT = 1_000;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (QUOTED_KEYS.size < QUOTED_KEYS_KEPT) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/** A batch's job id follows from its ops (and attempt): enqueueing the same batch twice adds one job. */
export function batchJobId(opIds: readonly string[], attempt: number): string {
  return `batch-${attempt}-${digest(opIds.join(','))}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
