import { seededRandom } from '../../../src/util/seededRandom.js';

/** The size and shape of a fleet bench: how many tenants, of which kinds, for how long. */
export interface FleetOptions {
  readonly tenants: number;
  /** Of `tenants`, how many read a Graph emulator; the rest read an export file. */
  readonly graphTenants: number;
  /** The measured window: every tenant's schedule ticks in it, once per cycle. */
  readonly durationMs: number;
  /** When in the window one worker is SIGKILLed (then restarted), as a share of it. */
  readonly killAt: number;
  /** The fewest and most users of a tenant; sizes are drawn evenly between. */
  readonly users: { readonly min: number; readonly max: number };
  /** A spell with nothing to do after the first syncs, to measure what idle workers cost (0: none). */
  readonly idleMs: number;
  readonly seed: number;
}

export type TenantKind = 'file' | 'graph';

export interface FleetTenant {
  readonly id: string;
  readonly kind: TenantKind;
  readonly users: number;
  /** The 6-field cron (seconds first, UTC) of its incremental runs. */
  readonly pattern: string;
}

/** What every fleet tenant id looks like (`t00042-file`), for reading keys back by tenant. */
export const TENANT_ID_PATTERN = /t\d{5}-(?:file|graph)/;

/** Every tenant syncs once per cycle; their ticks are spread evenly over it. */
export const CYCLE_SECONDS = 300;

/**
 * The fleet's tenants: deterministic sizes from the seed, Graph tenants spread among the file
 * tenants, and each tenant's tick at its own second of the five-minute cycle
 * (`S M/5 * * * *`: second S of minutes M, M+5, …).
 */
export function fleetTenants(
  options: Pick<FleetOptions, 'tenants' | 'graphTenants' | 'seed' | 'users'>,
): FleetTenant[] {
  const random = seededRandom(options.seed);
  const graphStride = Math.max(1, Math.floor(options.tenants / Math.max(1, options.graphTenants)));
  return Array.from({ length: options.tenants }, (_unused, index) => {
    const graph = index % graphStride === 0 && index / graphStride < options.graphTenants;
    const kind: TenantKind = graph ? 'graph' : 'file';
    const users = options.users.min + Math.floor(random() * (options.users.max - options.users.min + 1));
    const offset = Math.floor((index * CYCLE_SECONDS) / options.tenants);
    const pattern = `${offset % 60} ${Math.floor(offset / 60)}/${CYCLE_SECONDS / 60} * * * *`;
    return { id: `t${String(index).padStart(5, '0')}-${kind}`, kind, users, pattern };
  });
}
