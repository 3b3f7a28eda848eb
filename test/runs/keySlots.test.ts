import { describe, expect, it } from 'vitest';
import { opsQueuePrefix, RECONCILE_QUEUE_PREFIX } from '../../src/queue/names.js';
import { keys } from '../../src/runs/keys.js';
import { SCHEDULE_QUEUE_PREFIX } from '../../src/service/schedules.js';

/** What Redis Cluster hashes of a key: the text between the first `{` and the next `}`, when not empty. */
function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('the Redis key layout on a cluster', () => {
  const tenant = 'acme-eu';
  const perTenant = Object.entries(keys).filter(
    ([name]) => !['session', 'tokenSessions', 'audit'].includes(name),
  );

  it.each(perTenant)('puts %s in its tenant slot', (_name, key) => {
    expect(hashTagOf((key as (tenant: string, id: string) => string)(tenant, 'x1'))).toBe(tenant);
  });

  it("puts a tenant's op queue in its tenant's slot, and each shared queue in a slot of its own", () => {
    expect(hashTagOf(`${opsQueuePrefix(tenant)}:dirsync-ops-${tenant}:wait`)).toBe(tenant);
    expect(hashTagOf(`${RECONCILE_QUEUE_PREFIX}:dirsync-reconcile:wait`)).toBe('dirsync-reconcile');
    expect(hashTagOf(`${SCHEDULE_QUEUE_PREFIX}:dirsync-schedule:wait`)).toBe('dirsync-schedule');
  });

  it("keeps a token's sessions with their index, so one MULTI or DEL reaches them all", () => {
    expect(hashTagOf(keys.session('d1'))).toBe(hashTagOf(keys.tokenSessions('t1')));
    expect(hashTagOf(keys.session('d1'))).toBe(hashTagOf(keys.session('d2')));
  });
});
