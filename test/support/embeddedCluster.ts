import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import type { DevCertificates } from './devCertificates.js';
import { freePort, isPortFree, RedisMissingError } from './embeddedRedis.js';

const MASTERS = 3;
const NODES = MASTERS * 2;
/** Each node also listens on its port plus this, for the cluster bus: that port must be free too. */
const CLUSTER_BUS_OFFSET = 10_000;
const MAX_PORT = 65_535;
/** Short, so that a dead master's replica takes over within a few seconds. */
const NODE_TIMEOUT_MS = 1000;

/** A private Redis Cluster on loopback: 3 masters with 1 replica each, in a temporary directory. */
export interface EmbeddedCluster {
  /** Every node as host:port, the form of `redis.cluster.nodes`. */
  readonly nodes: readonly string[];
  /** The host:port of the master now serving the slot of `hashTag`. */
  masterOf(hashTag: string): Promise<string>;
  /** SIGKILLs the node at host:port. */
  kill(node: string): Promise<void>;
  /** Resolves once `slotOf(hashTag)` is served by a master other than `dead`, and the cluster says ok. */
  waitForFailover(hashTag: string, dead: string): Promise<string>;
  stop(): Promise<void>;
}

/** How a production cluster guards itself: a password (clients and replicas), TLS on every link. */
export interface EmbeddedClusterOptions {
  /** Every node's `requirepass` and `masterauth`, for the default user. */
  readonly password?: string;
  /**
   * Every node speaks TLS only (to clients, on the cluster bus, between replicas) with this
   * certificate, which must also serve as a client's (`generateNodeCertificates`).
   */
  readonly tls?: Omit<DevCertificates, 'caFile'>;
}

/**
 * Whether this redis-server was built with TLS: one that was tries to configure it, and fails
 * at once on a certificate that is not there.
 */
export function redisServerHasTls(): boolean {
  const probe = spawnSync(
    'redis-server',
    ['--port', '0', '--tls-port', '1', '--tls-cert-file', '/nonexistent', '--tls-key-file', '/nonexistent'],
    { encoding: 'utf8', timeout: 5_000 },
  );
  return /Failed to configure TLS/.test(`${probe.stdout}${probe.stderr}`);
}

export async function startEmbeddedCluster(options: EmbeddedClusterOptions = {}): Promise<EmbeddedCluster> {
  if (spawnSync('redis-server', ['--version']).error) throw new RedisMissingError();
  const directory = mkdtempSync(join(tmpdir(), 'dirsync-cluster-'));
  const guard = guardOf(options, directory);
  const ports: number[] = [];
  while (ports.length < NODES) {
    const port = await freePort();
    const bus = port + CLUSTER_BUS_OFFSET;
    if (!ports.includes(port) && bus <= MAX_PORT && (await isPortFree(bus))) ports.push(port);
  }
  const nodes = ports.map((port) => `127.0.0.1:${port}`);
  const children = new Map<string, ChildProcess>();
  const stop = async () => {
    await Promise.all([...children.values()].map(terminate));
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    for (const [index, port] of ports.entries()) {
      children.set(nodes[index]!, await launchNode(port, join(directory, String(port)), guard));
    }
    const created = spawnSync(
      'redis-cli',
      [...guard.cliArgs, '--cluster', 'create', ...nodes, '--cluster-replicas', '1', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...guard.cliEnv } },
    );
    if (created.status !== 0)
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    await until(
      () => everyNodeReady(nodes, guard),
      'the cluster did not reach cluster_state:ok with its replicas in sync',
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const alive = () => nodes.filter((node) => running(children.get(node)));
  const masterOf = async (hashTag: string) => {
    for (const node of alive()) {
      const owner = await ask(node, guard, async (client) => {
        const slot = Number(await client.call('CLUSTER', 'KEYSLOT', `{${hashTag}}`));
        const ranges = (await client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
        const range = ranges.find(([first, last]) => slot >= first && slot <= last);
        return range ? `${range[2][0]}:${range[2][1]}` : undefined;
      });
      if (owner) return owner;
    }
    throw new Error(`no live node knows who serves {${hashTag}}`);
  };
  return {
    nodes,
    masterOf,
    async kill(node) {
      const child = children.get(node);
      if (!child || !running(child)) throw new Error(`no running node ${node}`);
      const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
      child.kill('SIGKILL');
      await exited;
    },
    async waitForFailover(hashTag, dead) {
      let master = dead;
      await until(async () => {
        master = await masterOf(hashTag);
        if (master === dead) return false;
        return (await Promise.all(alive().map((node) => ask(node, guard, clusterOk)))).every(Boolean);
      }, `no replica took over {${hashTag}} from ${dead}`);
      return master;
    },
    stop,
  };
}

/** What the nodes, redis-cli and the test's own connections need to pass the options' guard. */
interface Guard {
  readonly serverArgs: readonly string[];
  /** Where a node listens: its plain port, or its TLS port. */
  readonly portArgs: (port: number) => string[];
  readonly cliArgs: readonly string[];
  readonly cliEnv: NodeJS.ProcessEnv;
  readonly clientOptions: RedisOptions;
}

function guardOf(options: EmbeddedClusterOptions, directory: string): Guard {
  const { password, tls } = options;
  const files = tls && {
    ca: join(directory, 'ca.pem'),
    cert: join(directory, 'server.pem'),
    key: join(directory, 'server-key.pem'),
  };
  if (tls && files) {
    writeFileSync(files.ca, tls.caPem);
    writeFileSync(files.cert, tls.certPem);
    writeFileSync(files.key, tls.keyPem, { mode: 0o600 });
  }
  return {
    serverArgs: [
      ...(password ? ['--requirepass', password, '--masterauth', password] : []),
      ...(tls && files
        ? [
            ...['--tls-cert-file', files.cert, '--tls-key-file', files.key, '--tls-ca-cert-file', files.ca],
            ...['--tls-cluster', 'yes', '--tls-replication', 'yes', '--tls-auth-clients', 'no'],
          ]
        : []),
    ],
    portArgs: (port) => (tls ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)]),
    cliArgs: files ? ['--tls', '--cacert', files.ca] : [],
    // redis-cli reads the password from here without warning that a command line shows it.
    cliEnv: password ? { REDISCLI_AUTH: password } : {},
    clientOptions: {
      ...(password ? { password } : {}),
      ...(tls ? { tls: { ca: tls.caPem } } : {}),
    },
  };
}

async function launchNode(port: number, directory: string, guard: Guard): Promise<ChildProcess> {
  const args = [
    ...guard.portArgs(port),
    ...guard.serverArgs,
    '--bind',
    '127.0.0.1',
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(directory, 'nodes.conf'),
    '--cluster-node-timeout',
    String(NODE_TIMEOUT_MS),
    '--dir',
    directory,
    '--appendonly',
    'no',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
  ];
  mkdirSync(directory, { recursive: true });
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  await until(async () => {
    if (!running(child)) throw new Error(`redis-server on ${port} exited with code ${child.exitCode}`);
    return (await ask(`127.0.0.1:${port}`, guard, (client) => client.ping())) === 'PONG';
  }, `redis-server on ${port} did not answer`);
  return child;
}

async function everyNodeReady(nodes: readonly string[], guard: Guard): Promise<boolean> {
  const answers = await Promise.all(
    nodes.map((node) =>
      ask(node, guard, async (client) => {
        if (!(await clusterOk(client))) return false;
        const replication = await client.info('replication');
        return replication.includes('role:master') || replication.includes('master_link_status:up');
      }),
    ),
  );
  return answers.every(Boolean);
}

async function clusterOk(client: Redis): Promise<boolean> {
  return String(await client.call('CLUSTER', 'INFO')).includes('cluster_state:ok');
}

/** One question to one node over a connection of its own; undefined when the node does not answer. */
async function ask<T>(
  node: string,
  guard: Guard,
  question: (client: Redis) => Promise<T>,
): Promise<T | undefined> {
  const [host, port] = node.split(':');
  const client = new Redis({
    ...guard.clientOptions,
    host,
    port: Number(port),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await question(client);
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

async function until(condition: () => Promise<boolean | undefined>, failure: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((wake) => setTimeout(wake, 100));
  }
}

function running(child: ChildProcess | undefined): boolean {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

async function terminate(child: ChildProcess): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  child.kill('SIGTERM');
  await exited;
}
