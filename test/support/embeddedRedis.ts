import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { DevCertificates } from './devCertificates.js';

export const REDIS_MISSING_MESSAGE =
  'redis-server (6.2 or later) was not found on PATH: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a running Redis.';

export class RedisMissingError extends Error {
  override readonly name = 'RedisMissingError';
  constructor() {
    super(REDIS_MISSING_MESSAGE);
  }
}

/** A private redis-server child process on a free loopback port, in a temporary directory. */
export interface EmbeddedRedis {
  readonly url: string;
  readonly port: number;
  readonly directory: string;
  stop(): Promise<void>;
  /** Stops the server abruptly and starts it again on the same port and data (tests of restarts). */
  restart(): Promise<void>;
}

export interface EmbeddedRedisOptions {
  readonly appendOnly?: boolean;
  /** The default user's password; `url` carries it. */
  readonly password?: string;
  /** TLS only, with this certificate for the loopback address; `url` is then rediss://. */
  readonly tls?: Pick<DevCertificates, 'certPem' | 'keyPem' | 'caFile'>;
}

export async function startEmbeddedRedis(options: EmbeddedRedisOptions = {}): Promise<EmbeddedRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new RedisMissingError();
  const directory = mkdtempSync(join(tmpdir(), 'dirsync-redis-'));
  const port = await freePort();
  const { password, tls } = options;
  const credentials = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
  const url = `${tls ? 'rediss' : 'redis'}://${credentials}127.0.0.1:${port}`;
  const guard: string[] = password === undefined ? [] : ['--requirepass', password];
  if (tls) {
    const [cert, key] = [join(directory, 'server.pem'), join(directory, 'server-key.pem')];
    writeFileSync(cert, tls.certPem);
    writeFileSync(key, tls.keyPem, { mode: 0o600 });
    guard.push('--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', tls.caFile);
    guard.push('--tls-auth-clients', 'no');
  }
  const args = [
    ...(tls ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)]),
    ...guard,
    '--bind',
    '127.0.0.1',
    '--dir',
    directory,
    '--save',
    '',
    '--appendonly',
    options.appendOnly ? 'yes' : 'no',
    '--maxmemory-policy',
    'noeviction',
  ];
  let child = await launch(args, url);
  return {
    url,
    port,
    directory,
    async stop() {
      await terminate(child);
      rmSync(directory, { recursive: true, force: true });
    },
    async restart() {
      child.kill('SIGKILL');
      await new Promise((resolveExit) => child.once('exit', resolveExit));
      child = await launch(args, url);
    },
  };
}

async function launch(args: string[], url: string): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await answersPing(url)) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('redis-server did not answer within 10 s');
    }
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  child.kill('SIGTERM');
  await exited;
}

/** Whether `port` on `host` can be listened on now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((answer) => {
    const probe = createServer();
    probe.once('error', () => answer(false));
    probe.listen(port, host, () => probe.close(() => answer(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
