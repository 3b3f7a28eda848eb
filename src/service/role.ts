import type { Queue } from 'bullmq';
import type { Config } from '../config/load.js';
import type { Logger } from '../observability/logger.js';
import type { QueueSet } from '../queue/queues.js';
import type { RedisStores } from '../runs/redis/stores.js';
import type { ScheduleTick } from './schedules.js';

/** One running role of the service (worker, scheduler, api): stopping lets work in hand finish. */
export interface Role {
  readonly name: RoleName;
  stop(): Promise<void>;
}

export const ROLE_NAMES = ['worker', 'scheduler', 'api'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
export type RoleChoice = RoleName | 'all';

export function rolesOf(choice: RoleChoice): readonly RoleName[] {
  return choice === 'all' ? ROLE_NAMES : [choice];
}

export function isRoleChoice(value: string): value is RoleChoice {
  return value === 'all' || (ROLE_NAMES as readonly string[]).includes(value);
}

/** What the service hands the API role; the API is built above the service (src/api), so it is passed in. */
export interface ApiRoleOptions {
  readonly config: Config;
  readonly stores: RedisStores;
  readonly queues: QueueSet;
  readonly scheduleQueue: Queue<ScheduleTick>;
  readonly logger: Logger;
}

export type StartApiRole = (options: ApiRoleOptions) => Promise<Role>;
