import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { generateNodeCertificates } from '../support/devCertificates.js';
import { type EmbeddedCluster, redisServerHasTls, startEmbeddedCluster } from '../support/embeddedCluster.js';
import { scimView } from '../support/scimState.js';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.js';

const SCIM_TOKEN = 'scim-token-cluster-auth-41d7';
const REDIS_PASSWORD = 'cluster-password-9f2c61ab';
const WRONG_PASSWORD = 'not-the-password-77e0';
/** The nodes' CA is their own: only `redis.cluster.tls.ca` makes the CLI trust it. */
const TLS = redisServerHasTls();

/**
 * A production Redis Cluster: every node asks for a password and, where this redis-server was
 * built with TLS, speaks only TLS under a CA nothing trusts by default. The CLI runs a file
 * tenant's sync end to end on it, and a wrong password stops it at once, naming the setting.
 */
describe(`dirsync on a Redis Cluster with a password${TLS ? ' and TLS' : ''}`, () => {
  let cluster: EmbeddedCluster;
  let platform: TestPlatform;
  let directory: string;
  const certificates = TLS ? generateNodeCertificates() : undefined;

  /** A configuration for the cluster, with `tls` as its TLS settings. */
  const configWith = (tls = 'ca: ./cluster-ca.pem') => {
    const file = join(directory, `dirsync-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      [
        'redis:',
        '  cluster:',
        `    nodes: [${cluster.nodes.map((node) => `"${node}"`).join(', ')}]`,
        '    password: env:REDIS_PASSWORD',
        ...(TLS ? [`    tls: { ${tls} }`] : []),
        'tenants:',
        '  - id: hr',
        '    source: { type: file, path: ./directory.json }',
        `    target: { url: "${platform.url}", token: "env:SCIM_TOKEN" }`,
      ].join('\n'),
    );
    return file;
  };
  const sync = (config: string, password: string) =>
    runCli(
      ['--config', config, 'sync', 'hr', '--inline', '--full'],
      { SCIM_TOKEN, REDIS_PASSWORD: password },
      60_000,
    );

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'dirsync-cluster-auth-'));
    if (certificates) writeFileSync(join(directory, 'cluster-ca.pem'), certificates.caPem);
    writeFileSync(
      join(directory, 'directory.json'),
      JSON.stringify({
        users: [
          { id: 'u1', userName: 'ada@example.com', email: 'ada@example.com', givenName: 'Ada' },
          { id: 'u2', userName: 'grace@example.com', givenName: 'Grace' },
        ],
        groups: [{ id: 'g1', displayName: 'Engineering', members: ['u1', 'u2'] }],
      }),
    );
    [cluster, platform] = await Promise.all([
      startEmbeddedCluster({ password: REDIS_PASSWORD, ...(certificates ? { tls: certificates } : {}) }),
      startTestPlatform('emulator', { token: SCIM_TOKEN }),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([cluster?.stop(), platform?.close()]);
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  test('a file tenant syncs end to end, and no output shows the password', async () => {
    const run = await sync(configWith(), REDIS_PASSWORD);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(REDIS_PASSWORD);
    const view = await scimView(platform);
    expect(view.users.map((user) => user.userName)).toEqual(['ada@example.com', 'grace@example.com']);
    expect(view.groups).toEqual([
      { displayName: 'Engineering', externalId: 'g1', members: ['ada@example.com', 'grace@example.com'] },
    ]);
  });

  test('a wrong password stops start-up at once with an error naming redis.cluster.password', async () => {
    const run = await sync(configWith(), WRONG_PASSWORD);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'redis.cluster.password: the Redis Cluster refused the password of env:REDIS_PASSWORD (WRONGPASS',
    );
    expect(run.stdout + run.stderr).not.toContain(WRONG_PASSWORD);
  });

  test.skipIf(!TLS)(
    'a certificate that does not hold tls.servername stops start-up naming redis.cluster.tls',
    async () => {
      const run = await sync(configWith('ca: ./cluster-ca.pem, servername: other.example'), REDIS_PASSWORD);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /redis\.cluster\.tls: the certificate of a Redis Cluster node is not trusted \(.*other\.example/,
      );
    },
  );

  test.skipIf(!TLS)('without tls.ca naming their CA, the nodes are not trusted', async () => {
    const run = await sync(configWith(''), REDIS_PASSWORD);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('redis.cluster.tls: the certificate of a Redis Cluster node is not trusted');
  });
});
