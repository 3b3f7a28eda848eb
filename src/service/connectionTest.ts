import type { TenantConfig } from '../config/load.js';
import type { PlatformCapabilities } from '../model/platform.js';
import type { ConnectionCheck } from '../model/source.js';
import { UpstreamError, type UpstreamOrigin } from '../model/upstream.js';
import type { Logger } from '../observability/logger.js';
import { DEFAULT_SCAN_CAP } from '../platform/client.js';
import { RunCallCounter } from '../runs/callCounter.js';
import { describeError } from '../runs/errors.js';
import { createTenantRuntime, type TenantRuntime } from '../runs/runtime.js';

export interface SidedCheck extends ConnectionCheck {
  readonly side: 'source' | 'target';
  /** Set when the check failed because that side answered an error (or none). */
  readonly upstream?: { readonly origin: UpstreamOrigin; readonly status: number; readonly code?: string };
}

export interface ConnectionReport {
  readonly tenant: string;
  readonly ok: boolean;
  readonly checks: readonly SidedCheck[];
  /** What the platform's /ServiceProviderConfig advertises, when it could be read. */
  readonly capabilities?: PlatformCapabilities;
  /** Capabilities dirsync relies on that the platform does not advertise, and what dirsync does instead. */
  readonly warnings: readonly string[];
}

/** A userName no one has: the query proves the token may read Users without moving any data. */
const PROBE_USER_NAME = 'dirsync-connection-test@invalid';

/**
 * Tests a tenant's connections on a runtime of its own, closed afterwards: its keep-alive
 * sockets to the platform would otherwise stay open after every test-connection.
 */
export async function testConnectionOnce(tenant: TenantConfig, logger: Logger): Promise<ConnectionReport> {
  const runtime = createTenantRuntime(tenant, logger);
  try {
    return await testTenantConnection(runtime);
  } finally {
    runtime.close();
  }
}

/**
 * Like Entra's "Test Connection": the source's own checks (reachable, credentials, permissions),
 * then the platform's — its ServiceProviderConfig, and a filtered read of Users.
 */
export async function testTenantConnection(runtime: TenantRuntime): Promise<ConnectionReport> {
  const counter = new RunCallCounter();
  const sourceChecks = await attempt('source', 'source checks', async () =>
    (await (await runtime.source(counter)).testConnection()).map((check) => ({
      ...check,
      side: 'source' as const,
    })),
  );
  const platform = runtime.platform(counter);
  let capabilities: PlatformCapabilities | undefined;
  const configCheck = await attempt('target', 'SCIM service provider config', async () => {
    capabilities = await platform.capabilities();
    return [
      {
        side: 'target' as const,
        name: 'SCIM service provider config',
        ok: true,
        message: describeCapabilities(capabilities),
      },
    ];
  });
  const users = await attempt('target', 'read Users', async () => {
    const found = await platform.findUsers({ userNames: [PROBE_USER_NAME] });
    return [
      {
        side: 'target' as const,
        name: 'read Users',
        ok: true,
        message: `filtered query answered (${found.length} match)`,
      },
    ];
  });
  const checks = [...sourceChecks, ...configCheck, ...users];
  return {
    tenant: runtime.config.id,
    ok: checks.every((check) => check.ok),
    checks,
    ...(capabilities !== undefined && { capabilities }),
    warnings: capabilities === undefined ? [] : capabilityWarnings(capabilities),
  };
}

/** "PATCH supported, filter supported (100 a page at most), sort no, ETag no, bulk no". */
function describeCapabilities(found: PlatformCapabilities): string {
  const yesNo = (supported: boolean) => (supported ? 'supported' : 'not supported');
  const maxResults = found.maxResults === undefined ? '' : ` (at most ${found.maxResults} results)`;
  return [
    `PATCH ${yesNo(found.patch)}`,
    `filter ${yesNo(found.filter)}${found.filter ? maxResults : ''}`,
    `sort ${yesNo(found.sort)}`,
    `ETag ${yesNo(found.etag)}`,
    `bulk ${yesNo(found.bulk)}`,
  ].join(', ');
}

function capabilityWarnings(found: PlatformCapabilities): string[] {
  return [
    ...(found.patch
      ? []
      : [
          'the platform does not advertise PATCH: dirsync updates users and groups only by PATCH and sends it all the same, so updates fail if the platform truly refuses it',
        ]),
    ...(found.filter
      ? []
      : [
          `the platform does not advertise filtering: dirsync still tries a filter, and when it is refused looks objects up by reading every user or group (up to ${DEFAULT_SCAN_CAP.toLocaleString('en')}) and comparing them itself`,
        ]),
  ];
}

async function attempt(
  side: SidedCheck['side'],
  name: string,
  check: () => Promise<SidedCheck[]>,
): Promise<SidedCheck[]> {
  try {
    return await check();
  } catch (error) {
    return [
      {
        side,
        name,
        ok: false,
        message: describeError(error),
        ...(error instanceof UpstreamError && {
          upstream: {
            origin: error.origin,
            status: error.status,
            ...(error.code !== undefined && { code: error.code }),
          },
        }),
      },
    ];
  }
}
