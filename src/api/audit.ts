import { keys } from '../runs/keys.js';
import type { RedisConnection } from '../runs/redis/connection.js';
import { canSee, type Principal } from './auth.js';

/** Entries kept (approximately: Redis trims whole stream nodes). */
const MAX_ENTRIES_KEPT = 100_000;

/** One write request, as an operator reviews it: who (by token label), what, on which tenant, with what outcome. */
export interface AuditEntry {
  /** The stream id: pass it as `after` to read on. */
  readonly id: string;
  readonly at: string;
  readonly requestId: string;
  readonly method: string;
  /** The route pattern, never the URL: a query string may carry a token. */
  readonly route: string;
  readonly tenant?: string;
  readonly token: string;
  readonly address: string;
  readonly status: number;
  readonly ms: number;
}

export interface AuditQuery {
  readonly after?: string;
  readonly limit: number;
}

/**
 * The audit log of the admin API: a capped Redis stream shared by every api replica. Only requests
 * whose token was recognised are written, so that nobody without a token can push real entries out.
 */
export class AuditLog {
  constructor(private readonly redis: RedisConnection) {}

  async append(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.redis.xadd(
      keys.audit(),
      'MAXLEN',
      '~',
      String(MAX_ENTRIES_KEPT),
      '*',
      'entry',
      JSON.stringify(entry),
    );
  }

  /** Oldest first; a token scoped to some tenants sees only their entries. */
  async read(principal: Principal, query: AuditQuery): Promise<{ entries: AuditEntry[]; next?: string }> {
    const entries: AuditEntry[] = [];
    let start = query.after ? `(${query.after}` : '-';
    for (;;) {
      const batch = await this.redis.xrange(keys.audit(), start, '+', 'COUNT', Math.max(query.limit, 200));
      if (batch.length === 0) break;
      for (const [id, fields] of batch) {
        const entry: AuditEntry = { id, ...(JSON.parse(fields[1] ?? '{}') as Omit<AuditEntry, 'id'>) };
        if (visibleTo(principal, entry)) entries.push(entry);
        if (entries.length === query.limit) return { entries, next: id };
      }
      start = `(${batch.at(-1)![0]}`;
    }
    return { entries, ...(entries.length > 0 ? { next: entries.at(-1)!.id } : {}) };
  }
}

/** Entries of no tenant (dashboard actions, sign-ins) are for tokens of every tenant. */
function visibleTo(principal: Principal, entry: AuditEntry): boolean {
  return entry.tenant === undefined ? principal.tenants.includes('*') : canSee(principal, entry.tenant);
}
