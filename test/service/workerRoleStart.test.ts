import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiRole } from '../../src/api/role.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/observability/logger.js';
import { opsQueuePrefix } from '../../src/queue/names.js';
import { type RunningService, startService } from '../../src/service/service.js';
import { type EmbeddedCluster, startEmbeddedCluster } from '../support/embeddedCluster.js';
import { until } from '../support/until.js';

/** Many tenants' op workers, each with a blocking connection of its own. */
const TENANTS = 300;

/**
 * A worker process serving many tenants on a Redis Cluster: once it says it started, every
 * tenant's op worker is blocked on its queue, waiting for ops; a tenant without one would have its
 * runs stay `applying` for ever.
 */
describe('a worker role of many tenants on a Redis Cluster', () => {
  let cluster: EmbeddedCluster;
  let folder: string;
  let service: RunningService | undefined;

  beforeAll(async () => {
    cluster = await startEmbeddedCluster();
    folder = mkdtempSync(join(tmpdir(), 'dirsync-worker-start-'));
  }, 90_000);

  afterAll(async () => {
    await service?.stop();
    await cluster?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("has every tenant's op worker waiting on its own queue once it has started", async () => {
    const tenants = Array.from({ length: TENANTS }, (_unused, index) => `tenant-${index}`);
    const config = parseConfig(
      [
        `redis: { cluster: { nodes: ${JSON.stringify(cluster.nodes)} } }`,
        'tenants:',
        ...tenants.map(
          (id) =>
            `  - { id: ${id}, source: { type: file, path: ./${id}.json }, target: { url: "https://platform.invalid/scim/v2", token: env:SCIM_TOKEN } }`,
        ),
      ].join('\n'),
      folder,
      { env: { SCIM_TOKEN: 'worker-start-scim-token' } },
    );
    service = await startService({
      config,
      redis: { cluster: { nodes: cluster.nodes } },
      role: 'worker',
      logger: silentLogger(),
      startApi: startApiRole,
    });

    let missing: readonly string[] = tenants;
    await until(
      'every op worker to block on its queue',
      async () => {
        const waiting = await tenantsWaitingForOps(cluster.nodes);
        missing = tenants.filter((tenant) => !waiting.has(tenant));
        return missing.length === 0 ? true : undefined;
      },
      60_000,
    ).catch(() => undefined);
    expect(missing).toEqual([]);
  }, 180_000);
});

/** Tenants with a connection named for their op queue blocked in BZPOPMIN on some master. */
async function tenantsWaitingForOps(nodes: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const node of nodes) {
    const [host, port] = node.split(':');
    const client = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      const clients = String(await client.call('CLIENT', 'LIST')).split('\n');
      for (const line of clients) {
        if (!line.includes('cmd=bzpopmin')) continue;
        const name = /\bname=(\S+)/.exec(line)?.[1] ?? '';
        const tenant = /^dirsync-bull:\{([^}]+)\}:/.exec(name)?.[1];
        if (tenant && name.startsWith(opsQueuePrefix(tenant))) found.add(tenant);
      }
    } finally {
      client.disconnect();
    }
  }
  return found;
}
