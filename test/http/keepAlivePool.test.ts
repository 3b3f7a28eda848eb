import type { AddressInfo } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { KeepAlivePool } from '../../src/http/keepAlivePool.js';
import { testCertificates } from '../platform/support.js';

/** What the test server does with one request it read whole: the bytes it answers, or nothing. */
type Answer = (request: string, socket: TLSSocket) => string | undefined;

interface TestServer {
  readonly port: string;
  readonly requests: string[];
  /** Connections the server accepted. */
  connections: number;
  /** Most connections open at the same time. */
  mostOpen: number;
  close(): Promise<void>;
}

const servers: TestServer[] = [];
const pools: KeepAlivePool[] = [];

afterEach(async () => {
  for (const pool of pools.splice(0)) pool.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A TLS server speaking just enough HTTP/1.1 by hand: requests end at the blank line (bodies are small). */
async function startServer(answer: Answer): Promise<TestServer> {
  const certificates = testCertificates();
  const sockets = new Set<TLSSocket>();
  const state = { connections: 0, mostOpen: 0, requests: [] as string[] };
  const server: Server = createServer({ key: certificates.keyPem, cert: certificates.certPem }, (socket) => {
    state.connections++;
    sockets.add(socket);
    state.mostOpen = Math.max(state.mostOpen, sockets.size);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, headEnd))?.[1] ?? 0);
      if (buffered.length < headEnd + 4 + length) return;
      const request = buffered.slice(0, headEnd + 4 + length);
      buffered = buffered.slice(request.length);
      state.requests.push(request);
      const reply = answer(request, socket);
      if (reply !== undefined) socket.write(reply);
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const testServer: TestServer = {
    port: String((server.address() as AddressInfo).port),
    requests: state.requests,
    get connections() {
      return state.connections;
    },
    get mostOpen() {
      return state.mostOpen;
    },
    close: () =>
      new Promise((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  } as TestServer;
  servers.push(testServer);
  return testServer;
}

function poolFor(server: TestServer, options: { maxConnections?: number; answerTimeoutMs?: number } = {}) {
  const pool = new KeepAlivePool({
    hostname: 'localhost',
    port: server.port,
    ca: [testCertificates().caPem],
    maxConnections: options.maxConnections ?? 4,
    answerTimeoutMs: options.answerTimeoutMs ?? 5_000,
    headers: { authorization: 'Bearer test-token' },
  });
  pools.push(pool);
  return pool;
}

const ok = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe('KeepAlivePool', () => {
  it('sends one well-formed request, with its own and the pool headers, and reads the answer', async () => {
    const server = await startServer(() => ok('{"id":"1"}', 'retry-after: 3\r\n'));
    const response = await poolFor(server).request({
      method: 'POST',
      path: '/scim/v2/Users?x=1',
      headers: { 'content-type': 'application/scim+json' },
      body: '{"userName":"zoë"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers['retry-after']).toBe('3');
    expect(response.body.toString()).toBe('{"id":"1"}');
    // The server keeps raw bytes; the body goes out as UTF-8, its length counted in bytes.
    expect(Buffer.from(server.requests[0]!, 'latin1').toString('utf8')).toBe(
      [
        'POST /scim/v2/Users?x=1 HTTP/1.1',
        `host: localhost:${server.port}`,
        'authorization: Bearer test-token',
        'content-type: application/scim+json',
        `content-length: ${Buffer.byteLength('{"userName":"zoë"}')}`,
        '',
        '{"userName":"zoë"}',
      ].join('\r\n'),
    );
  });

  it('carries one request after another on the same connection', async () => {
    const server = await startServer(() => ok('{}'));
    const pool = poolFor(server);
    for (let i = 0; i < 5; i++) await pool.request({ method: 'GET', path: `/Users/${i}` });
    expect(server.connections).toBe(1);
  });

  it('never opens more connections than allowed, and every waiting request gets its turn', async () => {
    const server = await startServer((_request, socket) => {
      setTimeout(() => socket.write(ok('{}')), 5);
      return undefined;
    });
    const pool = poolFor(server, { maxConnections: 3 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => pool.request({ method: 'GET', path: `/Users/${i}` })),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(server.connections).toBe(3);
    expect(server.mostOpen).toBe(3);
  });

  it('opens a new connection after the server closed the last one', async () => {
    const server = await startServer((_request, socket) => {
      socket.end(ok('{}', 'connection: close\r\n'));
      return undefined;
    });
    const pool = poolFor(server);
    await pool.request({ method: 'GET', path: '/a' });
    await pool.request({ method: 'GET', path: '/b' });
    expect(server.connections).toBe(2);
  });

  it('fails a request the server never answers with ETIMEDOUT, and goes on with the next', async () => {
    let silent = true;
    const server = await startServer(() => (silent ? undefined : ok('{}')));
    const pool = poolFor(server, { answerTimeoutMs: 200 });
    await expect(pool.request({ method: 'GET', path: '/slow' })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    silent = false;
    expect((await pool.request({ method: 'GET', path: '/fast' })).status).toBe(200);
  });

  it('fails a request whose connection breaks mid-answer with ECONNRESET, and goes on with the next', async () => {
    let broken = true;
    const server = await startServer((_request, socket) => {
      if (!broken) return ok('{}');
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"partial":');
      setTimeout(() => socket.destroy(), 20);
      return undefined;
    });
    const pool = poolFor(server);
    await expect(pool.request({ method: 'GET', path: '/a' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    broken = false;
    expect((await pool.request({ method: 'GET', path: '/b' })).status).toBe(200);
  });

  it('refuses header values and paths that would forge a request, sending nothing', async () => {
    const server = await startServer(() => ok('{}'));
    const pool = poolFor(server);
    await expect(
      pool.request({ method: 'GET', path: '/a', headers: { 'x-note': 'a\r\nx-admin: yes' } }),
    ).rejects.toThrow(/invalid header/);
    await expect(pool.request({ method: 'GET', path: '/a HTTP/1.1\r\nx: y' })).rejects.toThrow(
      /invalid request path/,
    );
    expect(server.requests).toEqual([]);
  });

  it('refuses a server whose certificate it does not trust', async () => {
    const server = await startServer(() => ok('{}'));
    const pool = new KeepAlivePool({
      hostname: 'localhost',
      port: server.port,
      ca: [],
      maxConnections: 1,
      answerTimeoutMs: 5_000,
    });
    pools.push(pool);
    await expect(pool.request({ method: 'GET', path: '/' })).rejects.toMatchObject({
      code: expect.stringMatching(/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/),
    });
  });

  it('fails the requests still waiting when it is closed', async () => {
    const server = await startServer(() => undefined);
    const pool = poolFor(server, { maxConnections: 1 });
    const first = pool.request({ method: 'GET', path: '/a' });
    const second = pool.request({ method: 'GET', path: '/b' });
    pool.close();
    await expect(first).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(second).rejects.toThrow(/closed/);
  });
});
