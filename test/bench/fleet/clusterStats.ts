import { Redis } from 'ioredis';

/** What the cluster's masters hold and have done, summed over them. */
export interface ClusterStats {
  readonly usedMemoryBytes: number;
  /** The data alone, without Redis's own overhead and the clients' buffers. */
  readonly datasetBytes: number;
  /** Buffers of the connected clients (the blocking connections of BullMQ workers among them). */
  readonly clientsBytes: number;
  readonly connectedClients: number;
  readonly commandsProcessed: number;
  /** Calls per command name (`bzpopmin`, `evalsha` …) since the server started. */
  readonly commandCalls: Readonly<Record<string, number>>;
  readonly keys: number;
}

/** INFO of every master (replicas hold copies and replay the same writes, so they are left out). */
export async function clusterStats(nodes: readonly string[]): Promise<ClusterStats> {
  const stats = {
    usedMemoryBytes: 0,
    datasetBytes: 0,
    clientsBytes: 0,
    connectedClients: 0,
    commandsProcessed: 0,
    commandCalls: {} as Record<string, number>,
    keys: 0,
  };
  for (const node of nodes) {
    const [host, port] = node.split(':');
    const client = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      const info = await client.info('everything');
      if (field(info, 'role') !== 'master') continue;
      stats.usedMemoryBytes += Number(field(info, 'used_memory'));
      stats.datasetBytes += Number(field(info, 'used_memory_dataset'));
      stats.clientsBytes += Number(field(info, 'mem_clients_normal'));
      stats.connectedClients += Number(field(info, 'connected_clients'));
      stats.commandsProcessed += Number(field(info, 'total_commands_processed'));
      for (const [, name = '', calls = '0'] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
        stats.commandCalls[name] = (stats.commandCalls[name] ?? 0) + Number(calls);
      stats.keys += await client.dbsize();
    } finally {
      client.disconnect();
    }
  }
  return stats;
}

/** Calls per second of each command between two readings, the busiest first. */
export function commandRates(
  before: ClusterStats,
  after: ClusterStats,
  seconds: number,
  top: number,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after.commandCalls)
      .map(
        ([name, calls]) =>
          [name, Math.round(((calls - (before.commandCalls[name] ?? 0)) / seconds) * 10) / 10] as const,
      )
      .sort(([, left], [, right]) => right - left)
      .slice(0, top),
  );
}

function field(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}
