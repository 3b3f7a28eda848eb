import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { buildApi } from '../../src/api/app.js';
import { type Config, parseConfig } from '../../src/config/load.js';
import { type Logger, silentLogger } from '../../src/observability/logger.js';
import type { QueueSet } from '../../src/queue/queues.js';
import type { RedisStores } from '../../src/runs/redis/stores.js';
import { openBackend } from '../../src/service/compositionRoot.js';
import { createScheduleQueue } from '../../src/service/schedules.js';

export const TOKENS = {
  operator: 'operator-token-0123456789abcdef',
  viewer: 'viewer-token-0123456789abcdef',
  alphaOperator: 'alpha-operator-token-0123456789',
} as const;

/** Two file tenants; the platform URL answers nothing, which the API routes under test never need. */
export function apiTestConfig(options: HarnessOptions = {}): Config {
  const text = `
api:
  listen: 127.0.0.1:0
  trustProxy: ${JSON.stringify(options.trustProxy ?? false)}
  tokens:
    - { label: ops, token: env:OPERATOR_TOKEN, role: operator, tenants: ["*"] }
    - { token: env:VIEWER_TOKEN, role: viewer, tenants: ["*"] }
    - { token: env:ALPHA_TOKEN, role: operator, tenants: [alpha] }
tenants:
  - id: alpha
    source: { type: file, path: ${join(process.cwd(), 'config', 'demo', 'directory.json')} }
    target: { url: "https://127.0.0.1:9/scim/v2", token: env:SCIM_TOKEN }
    schedule: { incremental: "*/40 * * * *" }
  - id: beta
    source: { type: file, path: ${join(process.cwd(), 'config', 'demo', 'directory.json')} }
    target: { url: "https://127.0.0.1:9/scim/v2", token: env:SCIM_TOKEN }
`;
  return parseConfig(text, process.cwd(), {
    env: {
      OPERATOR_TOKEN: TOKENS.operator,
      VIEWER_TOKEN: TOKENS.viewer,
      ALPHA_TOKEN: TOKENS.alphaOperator,
      SCIM_TOKEN: 'scim-token',
    },
  });
}

export interface HarnessOptions {
  readonly trustProxy?: boolean | readonly string[];
  readonly logger?: Logger;
  /** A configuration of the test's own, in place of the two file tenants of `apiTestConfig`. */
  readonly config?: Config;
}

export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly stores: RedisStores;
  readonly queues: QueueSet;
  close(): Promise<void>;
}

/**
 * The API over a Redis database of its own (the suite's Redis, database `db`), emptied first, so
 * that no worker of another test file takes the runs it queues.
 */
export async function startApiHarness(db: number, options: HarnessOptions = {}): Promise<ApiHarness> {
  const url = `${process.env.REDIS_URL}/${db}`;
  const flush = new Redis(url);
  await flush.flushdb();
  flush.disconnect();
  const backend = await openBackend({ url });
  const config = options.config ?? apiTestConfig(options);
  const { stores, queues } = backend;
  const scheduleQueue = createScheduleQueue(queues.connection);
  const app = await buildApi({
    config,
    stores,
    queues,
    scheduleQueue,
    logger: options.logger ?? silentLogger(),
  });
  await app.ready();
  return {
    app,
    config,
    stores,
    queues,
    async close() {
      await app.close();
      await scheduleQueue.close();
      await backend.close();
    },
  };
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
