import type { ConnectionCheck } from '../model/source.js';
import { RunCallCounter } from '../runs/callCounter.js';
import { describeError } from '../runs/errors.js';
import type { TenantRuntime } from '../runs/runtime.js';

export interface SidedCheck extends ConnectionCheck {
  readonly side: 'source' | 'target';
}

export interface ConnectionReport {
  readonly tenant: string;
  readonly ok: boolean;
  readonly checks: readonly SidedCheck[];
}

/** A userName no one has: the query proves the token may read Users without moving any data. */
const PROBE_USER_NAME = 'dirsync-connection-test@invalid';

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
  const capabilities = await attempt('target', 'SCIM service provider config', async () => {
    const found = await platform.capabilities();
    const message = `PATCH ${found.patch ? 'supported' : 'NOT supported'}, filter ${found.filter ? 'supported' : 'NOT supported'}`;
    return [
      {
        side: 'target' as const,
        name: 'SCIM service provider config',
        ok: found.patch && found.filter,
        message,
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
  const checks = [...sourceChecks, ...capabilities, ...users];
  return { tenant: runtime.config.id, ok: checks.every((check) => check.ok), checks };
}

async function attempt(
  side: SidedCheck['side'],
  name: string,
  check: () => Promise<SidedCheck[]>,
): Promise<SidedCheck[]> {
  try {
    return await check();
  } catch (error) {
    return [{ side, name, ok: false, message: describeError(error) }];
  }
}
