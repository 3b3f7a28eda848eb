import { afterEach, describe, expect, test } from 'vitest';
import { keys } from '../../src/runs/keys.js';
import { executeIfUnlocked } from '../../src/runs/lockedRun.js';
import type { RedisConnection } from '../../src/runs/redis/connection.js';
import { RedisTenantLock } from '../../src/runs/redis/tenantLock.js';
import { recordRun, requestOf } from '../../src/runs/requestRun.js';
import { type FileTenant, population, startFileTenant } from '../safety/support.js';
import { until } from '../support/until.js';

/** Short enough that a lost lease shows within a tenth of a second (renewed every LEASE_MS / 3). */
const LEASE_MS = 300;

/** How the lease goes, and what the key holds once the run has let go of it. */
const ways: readonly [string, (redis: RedisConnection, key: string) => Promise<unknown>, string | null][] = [
  ['another holder takes it', (redis, key) => redis.set(key, 'thief:1', 'PX', 60_000), 'thief:1'],
  ['it runs out', (redis, key) => redis.del(key), null],
];

describe('a run that loses its tenant lease stops at its next step and says so', () => {
  let tenant: FileTenant | undefined;
  afterEach(async () => {
    await tenant?.close();
    tenant = undefined;
  });

  test.each(ways)('when %s mid-run: failed, "lease lost", no checkpoint', async (_, loseLease, heldAfter) => {
    tenant = await startFileTenant();
    tenant.write({ users: population('staff', 80) });
    // Slow platform answers keep the run applying its user ops for seconds.
    tenant.scim.server.setFaults({ latencyMs: 250 });
    const id = tenant.harness.tenant.id;
    const redis = tenant.harness.stores.redis;
    const stores = { ...tenant.harness.stores, lock: new RedisTenantLock(redis, { leaseMs: LEASE_MS }) };
    const record = await recordRun(stores, { tenant: id, mode: 'full', trigger: 'cli' });

    const running = executeIfUnlocked(requestOf(record), { ...tenant.deps, stores });
    await until('the run to apply its ops', async () =>
      (await stores.runs.get(id, record.id))?.status === 'applying' ? true : undefined,
    );
    const holderBefore = await redis.get(keys.lock(id));
    await loseLease(redis, keys.lock(id));
    const finished = await running;

    expect(holderBefore).toMatch(new RegExp(`^${record.id}:`));
    expect(finished?.status).toBe('failed');
    expect(finished?.error).toMatch(/^lease lost: /);
    expect(finished?.failures).toContainEqual(expect.objectContaining({ objectType: 'run' }));
    // It stopped while its ops were still going out, and the next run starts from the old cursor.
    expect(tenant.scim.store.users().length).toBeLessThan(80);
    expect(await stores.state.checkpoint(id)).toBeUndefined();
    // Its release left alone whatever holds the key now.
    expect(await redis.get(keys.lock(id))).toBe(heldAfter);
  });
});
