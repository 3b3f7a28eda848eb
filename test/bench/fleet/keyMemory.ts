import { Redis } from 'ioredis';

/** Bytes and keys of one kind of key, e.g. `dirsync:{<t>}:snapshot`, over the whole cluster. */
export interface KeyKind {
  readonly kind: string;
  readonly keys: number;
  readonly bytes: number;
}

/**
 * Every key of the cluster's masters by kind, the biggest first: the tenant id (matched by
 * `tenantPattern`) becomes `<t>` and any segment with a digit (run, job and tick ids) `<id>`, so a
 * capacity model can say what a tenant's memory is made of.
 */
export async function keyMemory(nodes: readonly string[], tenantPattern: RegExp): Promise<KeyKind[]> {
  const kinds = new Map<string, { keys: number; bytes: number }>();
  for (const node of nodes) {
    const [host, port] = node.split(':');
    const client = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      if (!(await client.info('replication')).includes('role:master')) continue;
      let cursor = '0';
      do {
        const [next, found] = await client.scan(cursor, 'COUNT', 1000);
        cursor = next;
        const pipeline = client.pipeline();
        for (const key of found) pipeline.memory('USAGE', key, 'SAMPLES', '0');
        const sizes = (await pipeline.exec()) ?? [];
        for (const [index, key] of found.entries()) {
          const kind = kindOf(key, tenantPattern);
          const entry = kinds.get(kind) ?? { keys: 0, bytes: 0 };
          entry.keys++;
          entry.bytes += Number(sizes[index]?.[1] ?? 0);
          kinds.set(kind, entry);
        }
      } while (cursor !== '0');
    } finally {
      client.disconnect();
    }
  }
  return [...kinds]
    .map(([kind, entry]) => ({ kind, ...entry }))
    .sort((left, right) => right.bytes - left.bytes);
}

function kindOf(key: string, tenantPattern: RegExp): string {
  return key
    .replace(new RegExp(tenantPattern.source, 'g'), '<t>')
    .split(':')
    .map((segment) => (/\d/.test(segment) ? '<id>' : segment))
    .join(':');
}
