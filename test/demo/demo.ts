import { resolve } from 'node:path';
import { startApiRole } from '../../src/api/role.js';
import { loadConfigFile } from '../../src/config/load.js';
import type { OpKind } from '../../src/model/plan.js';
import type { RunRecord } from '../../src/model/run.js';
import type { Logger } from '../../src/observability/logger.js';
import { requestRun, waitForRun } from '../../src/runs/requestRun.js';
import { openBackend } from '../../src/service/compositionRoot.js';
import { startService } from '../../src/service/service.js';
import type { DevCertificates } from '../support/devCertificates.js';
import { type EmbeddedRedis, freePort, isPortFree, startEmbeddedRedis } from '../support/embeddedRedis.js';
import { startDemoControl } from './control.js';
import { type DemoEnvironment, startDemoEnvironment } from './environment.js';

export interface DemoOptions {
  readonly once: boolean;
  readonly certificates: DevCertificates;
  readonly logger: Logger;
  readonly print: (line: string) => void;
}

/**
 * `dirsync demo`: a private Redis (unless REDIS_URL is set), the emulators, the service with its
 * API and dashboard, a first full sync of each demo tenant, and what to try next.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const { print } = options;
  const embedded: EmbeddedRedis | undefined = process.env.REDIS_URL ? undefined : await startEmbeddedRedis();
  const redisUrl = process.env.REDIS_URL ?? embedded!.url;
  const host = process.env.DIRSYNC_DEMO_HOST ?? '127.0.0.1';
  const apiPort = (await isPortFree(8080, host)) ? 8080 : await freePort();
  const environment = await startDemoEnvironment({
    directory: resolve('.tmp/demo'),
    certificates: options.certificates,
    redisUrl,
    apiListen: `${host}:${apiPort}`,
  });
  const config = loadConfigFile(environment.configFile);
  const service = await startService({
    config,
    redis: { url: redisUrl },
    role: 'all',
    logger: options.logger,
    startApi: startApiRole,
  });
  const control = await startDemoControl(environment, host);
  const backend = await openBackend({ url: redisUrl });
  const { stores, queues } = backend;
  const stopAll = async () => {
    await service.stop();
    await backend.close();
    await control.close();
    await environment.close();
    await embedded?.stop();
  };

  try {
    print(
      `dirsync demo: ${config.tenants.length} tenants, Redis at ${redisUrl}${embedded ? ' (private)' : ''}`,
    );
    print('first full sync of each tenant …');
    const requested = await Promise.all(
      config.tenants.map((tenant) =>
        requestRun(stores, queues, { tenant: tenant.id, mode: 'full', trigger: 'cli' }),
      ),
    );
    const finished = await Promise.all(
      requested.map((record) => waitForRun(stores, record.tenant, record.id)),
    );
    loseSampleUser(environment);
    print('');
    print(
      summaryTable(
        finished,
        config.tenants.map((tenant) => tenant.source.type),
      ),
    );
    print('');
    print(
      whatToTry(
        environment,
        `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${apiPort}`,
        control.url,
        options.certificates.caFile,
      ),
    );
    const allSucceeded = finished.every((record) => record.status === 'succeeded');
    if (options.once) return allSucceeded ? 0 : 1;
    print('\nthe service keeps running (incremental runs every minute); Ctrl-C stops the demo.');
    await new Promise<void>((stop) => {
      process.once('SIGINT', () => stop());
      process.once('SIGTERM', () => stop());
    });
    return 0;
  } finally {
    await stopAll();
  }
}

const COLUMNS: readonly [string, (record: RunRecord) => number][] = [
  ['users created', (record) => succeeded(record, ['createUser'])],
  ['updated', (record) => succeeded(record, ['updateUser', 'reactivateUser'])],
  ['deactivated', (record) => succeeded(record, ['deactivateUser', 'deleteUser'])],
  ['groups created', (record) => succeeded(record, ['createGroup'])],
  // Members, not ops: a new group's members go with its create.
  ['memberships', (record) => (record.memberships?.added ?? 0) + (record.memberships?.removed ?? 0)],
];

function succeeded(record: RunRecord, kinds: readonly OpKind[]): number {
  return kinds.reduce((sum, kind) => sum + (record.counts[kind]?.succeeded ?? 0), 0);
}

function summaryTable(records: readonly RunRecord[], sources: readonly string[]): string {
  const header = ['tenant', 'source', 'status', ...COLUMNS.map(([name]) => name), 'failed', 'seconds'];
  const rows = records.map((record, index) => [
    record.tenant,
    sources[index] ?? '',
    record.status,
    ...COLUMNS.map(([, count]) => String(count(record))),
    String(record.failureCount),
    ((record.durationMs ?? 0) / 1000).toFixed(1),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/**
 * Removes contoso's sample user from its platform, as someone deleting an account there by hand
 * would: incremental runs do not notice (the source did not change), so provisioning the user on
 * demand shows a create rather than a user already in step.
 */
function loseSampleUser(environment: DemoEnvironment): void {
  const { store } = environment.platforms.get('contoso')!;
  const wanted = environment.sampleUsers.contoso.toLowerCase();
  const user = store.users().find((candidate) => String(candidate.userName).toLowerCase() === wanted);
  if (user) store.delete('Users', String(user.id));
}

/** The CLI commands that read a source run in their own process, which must trust the emulators' CA. */
function whatToTry(environment: DemoEnvironment, api: string, control: string, caFile: string): string {
  const token = environment.adminToken;
  const auth = `-H "Authorization: Bearer ${token}"`;
  const json = `-H 'content-type: application/json'`;
  const config = environment.configFile;
  return [
    'Try it (demo credentials; the admin token is printed because this is a demo):',
    `  API ${api}   docs ${api}/docs   metrics ${api}/metrics`,
    `  console ${api}/console   (sign in with the token ${token})`,
    `  dashboard ${api}/admin/login?token=${token}`,
    '',
    `  # provision on demand, with the step trace: the demo removed ${environment.sampleUsers.contoso} from`,
    "  # contoso's platform after the first sync, so provisioning it creates it again",
    `  console ${api}/console/tenants/contoso/provision   (type "${environment.sampleUsers.contoso.slice(0, 6)}" and pick the user)`,
    `  curl -s -X POST ${auth} ${json} ${api}/v1/tenants/contoso/provision -d '{"users":["${environment.sampleUsers.contoso}"]}'`,
    `  NODE_EXTRA_CA_CERTS=${caFile} npx dirsync --config ${config} provision acme --user ${environment.sampleUsers.acme}`,
    '',
    '  # why is a user (not) on the platform, and what would the next run do? (changes nothing)',
    `  NODE_EXTRA_CA_CERTS=${caFile} npx dirsync --config ${config} explain contoso ${environment.sampleUsers.contosoOutOfScope}`,
    `  console ${api}/console/tenants/contoso/explain?subject=${encodeURIComponent(environment.sampleUsers.contosoOutOfScope)}`,
    '',
    '  # trigger a resync, and follow it',
    `  curl -s -X POST ${auth} ${json} ${api}/v1/tenants/acme/runs -d '{"mode":"full"}'`,
    `  npx dirsync --config ${config} sync hr-export --full --wait`,
    '',
    '  # change a user in an emulator, then watch the incremental run carry it',
    `  curl -s -X POST ${control}/graph/users/${environment.sampleUsers.contosoId} -d '{"jobTitle":"Chief Demo Officer"}'`,
    `  curl -s -X POST ${control}/okta/users/${environment.sampleUsers.acmeId} -d '{"status":"SUSPENDED"}'`,
    `  npx dirsync --config ${config} sync contoso --wait`,
    `  npx dirsync --config ${config} runs contoso`,
    `  curl -s ${auth} '${api}/v1/tenants/contoso/events?limit=5'`,
  ].join('\n');
}
