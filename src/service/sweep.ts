import type { Config } from '../config/load.js';
import type { Logger } from '../observability/logger.js';

const SWEEP_MS = 5000;

/**
 * Calls `visit` for every tenant every few seconds: the level-triggered safety net behind the
 * event-driven path, so that work a crashed process left (a follow-up run) is picked up.
 */
export function startSweep(
  config: Config,
  visit: (tenant: string) => Promise<unknown>,
  logger: Logger,
  everyMs = SWEEP_MS,
): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void Promise.all(
      config.tenants.map((tenant) =>
        visit(tenant.id).catch((error: unknown) =>
          logger.warn({ tenant: tenant.id, reason: (error as Error).message }, 'sweep failed'),
        ),
      ),
    ).finally(() => {
      running = false;
    });
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
