import type { Config } from '../config/load.js';
import type { Logger } from '../observability/logger.js';
import { openBackend } from './compositionRoot.js';
import type { RedisTarget } from './redis.js';
import { type Role, type RoleChoice, type RoleName, rolesOf, type StartApiRole } from './role.js';
import { startSchedulerRole } from './schedulerRole.js';
import { createScheduleQueue } from './schedules.js';
import { startWorkerRole } from './workerRole.js';

export interface ServiceOptions {
  readonly config: Config;
  readonly redis: RedisTarget;
  readonly role: RoleChoice;
  readonly logger: Logger;
  /** Starts the admin API (src/api's `startApiRole`) when the API role is chosen. */
  readonly startApi: StartApiRole;
}

export interface RunningService {
  readonly roles: readonly RoleName[];
  /** Stops taking work, lets work in hand finish, closes every connection. */
  stop(): Promise<void>;
}

/** `dirsync start`: the chosen roles over shared stores; BullMQ workers get a connection of their own. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const backend = await openBackend(options.redis);
  const blocking = backend.connect();
  const { stores, queues } = backend;
  const scheduleQueue = createScheduleQueue(queues.connection);
  const started: Role[] = [];
  const stop = async () => {
    // Last started, first stopped: the API goes first, so no new work arrives while workers drain.
    for (const role of [...started].reverse()) {
      await role.stop();
      logger.info({ role: role.name }, 'role stopped');
    }
    await scheduleQueue.close();
    await backend.close();
    blocking.disconnect();
  };
  try {
    for (const name of rolesOf(options.role)) {
      const common = { config, stores, queues, logger };
      if (name === 'worker')
        started.push(await startWorkerRole({ ...common, backend, connection: blocking }));
      if (name === 'scheduler') started.push(await startSchedulerRole({ ...common, connection: blocking }));
      if (name === 'api') started.push(await options.startApi({ ...common, scheduleQueue }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { roles: started.map((role) => role.name), stop };
}

/**
 * Stops the service on SIGTERM or SIGINT and resolves with the exit code: 0 once stopped cleanly.
 * A second signal while stopping gives up on the work in hand (its jobs return to the queue).
 */
export function stopOnSignal(service: RunningService, logger: Logger): Promise<number> {
  return new Promise((resolveExit) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting without waiting for work in hand');
        resolveExit(1);
        return;
      }
      stopping = true;
      logger.info({ signal }, 'stopping: finishing the work in hand');
      service.stop().then(
        () => resolveExit(0),
        (error: unknown) => {
          logger.error({ reason: (error as Error).message }, 'stopping failed');
          resolveExit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
