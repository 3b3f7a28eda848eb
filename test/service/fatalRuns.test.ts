import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/app.js';
import type { RunRecord } from '../../src/model/run.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createScheduleQueue } from '../../src/service/schedules.js';
import { apiTestConfig, bearer, TOKENS } from '../api/fixtures.js';
import { type PipelineHarness, startPipelineHarness } from '../support/pipelineHarness.js';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.js';

const PLATFORM_TOKEN = 'scim-token-current-7d41c2';
/** What the tenant's configuration still holds after the platform's token was rotated. */
const REVOKED_TOKEN = 'scim-token-revoked-0b93fe';
const CREDENTIALS = { class: 'fatal', cause: 'credentials' } as const;

/**
 * A tenant whose platform refuses its token: the real pipeline, op worker and Redis, the SCIM
 * emulator, and the admin API over the same stores, as an operator would read them.
 */
describe('a platform that refuses the tenant token', () => {
  let platform: TestPlatform;
  let harness: PipelineHarness;
  let api: FastifyInstance;
  let closeScheduleQueue: () => Promise<void>;
  const read = async (path: string) => {
    const response = await api.inject({ method: 'GET', url: path, headers: bearer(TOKENS.operator) });
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    platform = await startTestPlatform('emulator', { token: PLATFORM_TOKEN });
    const directoryFile = join(mkdtempSync(join(tmpdir(), 'dirsync-fatal-')), 'directory.json');
    writeFileSync(
      directoryFile,
      JSON.stringify({ users: [{ id: 'u-1', userName: 'ada@example.com', email: 'ada@example.com' }] }),
    );
    harness = await startPipelineHarness(
      [
        `source: { type: file, path: "${directoryFile}" }`,
        `target: { url: "${platform.url}", token: "env:SCIM_TOKEN", maxRequestsPerSecond: 10000 }`,
      ].join('\n'),
      { SCIM_TOKEN: REVOKED_TOKEN },
    );
    const scheduleQueue = createScheduleQueue(harness.backend.queues.connection);
    closeScheduleQueue = () => scheduleQueue.close();
    api = await buildApi({
      config: { ...apiTestConfig(), tenants: harness.config.tenants },
      stores: harness.stores,
      queues: harness.backend.queues,
      scheduleQueue,
      logger: silentLogger(),
    });
    await api.ready();
  });
  afterAll(async () => {
    await api?.close();
    await closeScheduleQueue?.();
    await harness?.close();
    await platform?.close();
  });

  it('fails the run as fatal: credentials, in the run record and in the API answer', async () => {
    const run = await harness.run('full');
    expect(run.status).toBe('failed');
    expect(run.error).toContain('401');
    expect(run.failureClass).toEqual(CREDENTIALS);
    expect(run.failures).toContainEqual(
      expect.objectContaining({ objectType: 'run', failureClass: CREDENTIALS }),
    );

    const answered: RunRecord = await read(`/v1/tenants/${harness.tenant.id}/runs/${run.id}`);
    expect(answered).toMatchObject({ status: 'failed', failureClass: CREDENTIALS });
    expect(answered.failures[0]).toMatchObject({ objectType: 'run', failureClass: CREDENTIALS });
    expect(JSON.stringify(answered)).not.toContain(REVOKED_TOKEN);

    // One refused run is not yet a quarantine: a token may be rotated between two runs.
    expect((await read(`/v1/tenants/${harness.tenant.id}`)).quarantine.quarantined).toBe(false);
  });

  it('quarantines the tenant after three such runs in a row', async () => {
    await harness.run('full');
    const third = await harness.run('full');
    expect(third.failureClass).toEqual(CREDENTIALS);

    const status = await read(`/v1/tenants/${harness.tenant.id}`);
    expect(status.state).toBe('quarantined');
    expect(status.quarantine).toMatchObject({
      quarantined: true,
      cause: 'credentials',
      consecutiveFailures: 3,
    });
    expect(status.quarantine.reason).toContain('401');
    expect(status.lastRun).toMatchObject({ id: third.id, status: 'failed' });
  });
});
