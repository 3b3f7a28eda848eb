import type { AddressInfo } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { afterEach } from 'vitest';
import { KeepAlivePool, type KeepAlivePoolOptions } from '../../src/http/keepAlivePool.js';
import { testCertificates } from '../platform/support.js';

/** What the test server does with one request it read whole: the bytes it answers, or nothing. */
export type Answer = (request: string, socket: TLSSocket) => string | undefined;

export interface TestServer {
  readonly port: string;
  readonly requests: string[];
  /** Connections the server accepted. */
  readonly connections: number;
  /** Most connections open at the same time. */
  readonly mostOpen: number;
  /** When each connection closed, in ms since the epoch, in the order they closed. */
  readonly closedAt: number[];
  close(): Promise<void>;
}

const servers: TestServer[] = [];
const pools: KeepAlivePool[] = [];

afterEach(async () => {
  for (const pool of pools.splice(0)) pool.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A TLS server speaking just enough HTTP/1.1 by hand: requests end at the blank line (bodies are small). */
export async function startServer(answer: Answer): Promise<TestServer> {
  const certificates = testCertificates();
  const sockets = new Set<TLSSocket>();
  const state = { connections: 0, mostOpen: 0, requests: [] as string[], closedAt: [] as number[] };
  const server: Server = createServer({ key: certificates.keyPem, cert: certificates.certPem }, (socket) => {
    state.connections++;
    sockets.add(socket);
    state.mostOpen = Math.max(state.mostOpen, sockets.size);
    socket.on('close', () => {
      sockets.delete(socket);
      state.closedAt.push(Date.now());
    });
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
    closedAt: state.closedAt,
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
  };
  servers.push(testServer);
  return testServer;
}

/** A pool to the test server, trusting its CA, closed after the test. */
export function poolFor(
  server: Pick<TestServer, 'port'>,
  options: Partial<KeepAlivePoolOptions> = {},
): KeepAlivePool {
  const pool = new KeepAlivePool({
    hostname: 'localhost',
    port: server.port,
    ca: [testCertificates().caPem],
    maxConnections: 4,
    answerTimeoutMs: 5_000,
    headers: { authorization: 'Bearer test-token' },
    ...options,
  });
  pools.push(pool);
  return pool;
}

export const ok = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
