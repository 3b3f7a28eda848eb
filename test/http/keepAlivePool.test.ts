import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { ok, poolFor, startServer } from './support.js';

const MiB = 1024 * 1024;

/** Writes `total` bytes of body as fast as the client reads them, framed or not; resolves with what went out. */
function stream(socket: TLSSocket, total: number, chunked: boolean): Promise<number> {
  const piece = Buffer.alloc(64 * 1024, 'x');
  const frame = chunked
    ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
    : piece;
  return new Promise((done) => {
    let sent = 0;
    const pump = () => {
      while (sent < total && !socket.destroyed) {
        sent += piece.length;
        if (!socket.write(frame)) return;
      }
      if (!socket.destroyed) socket.end(chunked ? '0\r\n\r\n' : '');
      done(sent);
    };
    socket.on('drain', pump);
    socket.on('close', () => done(sent));
    pump();
  });
}

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
    const pool = poolFor(server, { ca: [], maxConnections: 1 });
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

  it("closes an idle connection before the server's Keep-Alive timeout, and opens a new one after", async () => {
    const server = await startServer(() => ok('{}', 'keep-alive: timeout=1, max=100\r\n'));
    const pool = poolFor(server);
    await pool.request({ method: 'GET', path: '/a' });
    const answeredAt = Date.now();
    await new Promise((wait) => setTimeout(wait, 200));
    expect(server.closedAt).toEqual([]);
    await new Promise((wait) => setTimeout(wait, 700));
    // The server would close at 1 s; the pool let go half a second after the answer.
    expect(server.closedAt).toHaveLength(1);
    expect(server.closedAt[0]! - answeredAt).toBeGreaterThanOrEqual(400);
    expect(server.closedAt[0]! - answeredAt).toBeLessThan(900);
    await pool.request({ method: 'GET', path: '/b' });
    expect(server.connections).toBe(2);
  });

  it('refuses an answer announced larger than its cap before reading the body, and goes on with the next', async () => {
    let huge = true;
    const server = await startServer((_request, socket) => {
      if (!huge) return ok('{}');
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${1024 * MiB}\r\n\r\n`);
      return undefined;
    });
    const pool = poolFor(server, { maxResponseBytes: MiB });
    await expect(pool.request({ method: 'GET', path: '/Users' })).rejects.toMatchObject({
      name: 'ResponseTooLargeError',
      message: 'response body larger than 1 MiB, the most this client accepts',
    });
    huge = false;
    expect((await pool.request({ method: 'GET', path: '/Users' })).status).toBe(200);
  });

  for (const chunked of [true, false]) {
    it(`aborts a ${chunked ? 'chunked' : 'close-delimited'} answer once it passes the cap, without reading the rest`, async () => {
      let sent: Promise<number> | undefined;
      const server = await startServer((_request, socket) => {
        if (sent !== undefined) return ok('{}');
        socket.write(
          `HTTP/1.1 200 OK\r\n${chunked ? 'transfer-encoding: chunked\r\n' : 'connection: close\r\n'}\r\n`,
        );
        sent = stream(socket, 40 * MiB, chunked);
        return undefined;
      });
      const pool = poolFor(server, { maxResponseBytes: 2 * MiB });
      await expect(pool.request({ method: 'GET', path: '/Groups' })).rejects.toThrow(
        'response body larger than 2 MiB, the most this client accepts',
      );
      // The client hung up: the server got to write a few socket buffers past the cap, not 40 MiB.
      expect(await sent).toBeLessThan(20 * MiB);
      expect((await pool.request({ method: 'GET', path: '/Groups' })).status).toBe(200);
    });
  }
});
