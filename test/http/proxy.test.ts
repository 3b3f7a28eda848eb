import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isExempt, parseProxyUrl, proxyFor } from '../../src/http/proxy.js';
import { startTestEmulator as startGraphEmulator, testSource } from '../connectors/graph/support.js';
import { clientFor, startTestEmulator } from '../platform/support.js';
import { ok, poolFor, startServer } from './support.js';

interface TestProxy {
  readonly url: string;
  /** `host:port` of every CONNECT the proxy accepted or refused. */
  readonly connects: string[];
  close(): Promise<void>;
}

const proxies: TestProxy[] = [];
const savedEnv = { ...process.env };

afterEach(async () => {
  process.env = { ...savedEnv };
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

/**
 * A forward proxy on loopback that only tunnels: CONNECT to a loopback port, answered 407 unless
 * the request carries `credentials` (when given), 403 for any other destination.
 */
async function startProxy(credentials?: { user: string; password: string }): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  const connects: string[] = [];
  const expected =
    credentials && `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  const server: Server = createServer();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    connects.push(request.url ?? '');
    if (expected !== undefined && request.headers['proxy-authorization'] !== expected) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    const target = /^(localhost|127\.0\.0\.1):(\d+)$/.exec(request.url ?? '');
    if (!target) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(Number(target[2]), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const userinfo = credentials
    ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`
    : '';
  const proxy: TestProxy = {
    url: `http://${userinfo}127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    close: () =>
      new Promise((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  };
  proxies.push(proxy);
  return proxy;
}

describe('proxyFor', () => {
  const origin = { hostname: 'scim.example.com', port: '' };

  it('takes HTTPS_PROXY in either case, lower case first, and nothing when neither is set', () => {
    expect(proxyFor(origin, {})).toBeUndefined();
    expect(proxyFor(origin, { HTTPS_PROXY: 'http://upper:3128' })?.hostname).toBe('upper');
    expect(proxyFor(origin, { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'lower:8080' })).toMatchObject({
      hostname: 'lower',
      port: 8080,
      label: 'http://lower:8080',
    });
    expect(proxyFor(origin, { HTTPS_PROXY: '' })).toBeUndefined();
  });

  it('turns user:pass@ into Basic credentials that its label never shows', () => {
    const proxy = parseProxyUrl('http://svc%40corp:p%3Ass@proxy.corp:3128');
    expect(proxy.authorization).toBe(`Basic ${Buffer.from('svc@corp:p:ss').toString('base64')}`);
    expect(proxy.label).toBe('http://proxy.corp:3128');
    expect(parseProxyUrl('http://proxy.corp').port).toBe(80);
  });

  it('refuses a proxy it cannot speak to, without repeating credentials', () => {
    expect(() => parseProxyUrl('https://user:secret@proxy.corp:8443')).toThrow(
      'HTTPS_PROXY must be an http:// proxy URL (got https://proxy.corp:8443)',
    );
    expect(() => parseProxyUrl('http://user:secret@[bad')).toThrow(/^HTTPS_PROXY is not a valid URL$/);
  });

  it('leaves out the hosts NO_PROXY lists, by name, domain, address, block and port', () => {
    const cases: [string, string, number, boolean][] = [
      ['*', 'anything.example', 443, true],
      ['example.com', 'example.com', 443, true],
      ['example.com', 'scim.example.com', 443, true],
      ['example.com', 'badexample.com', 443, false],
      ['.example.com', 'scim.example.com', 443, true],
      ['.example.com', 'example.com', 443, false],
      ['*.example.com', 'scim.example.com', 443, true],
      ['EXAMPLE.com.', 'Scim.Example.COM', 443, true],
      ['other.org, example.com:8443', 'example.com', 443, false],
      ['other.org, example.com:8443', 'example.com', 8443, true],
      ['', 'localhost', 443, false],
      ['corp.internal', 'localhost', 443, false],
      ['localhost', 'localhost', 443, true],
      ['127.0.0.1', '127.0.0.1', 443, true],
      ['10.0.0.0/8', '10.20.30.40', 443, true],
      ['10.0.0.0/8', '11.0.0.1', 443, false],
      ['::1', '::1', 443, true],
      ['[::1]:8443', '::1', 8443, true],
      ['[::1]:8443', '::1', 443, false],
      ['fd00::/8', 'fd12::1', 443, true],
    ];
    for (const [noProxy, host, port, exempt] of cases)
      expect({ noProxy, host, port, exempt: isExempt(noProxy, host, port) }).toEqual({
        noProxy,
        host,
        port,
        exempt,
      });
    expect(
      proxyFor(
        { hostname: 'graph.microsoft.com', port: '' },
        { https_proxy: 'p:1', NO_PROXY: 'microsoft.com' },
      ),
    ).toBeUndefined();
    expect(
      proxyFor({ hostname: 'localhost', port: '9443' }, { https_proxy: 'p:1', no_proxy: 'localhost:443' }),
    ).toBeDefined();
  });
});

describe('KeepAlivePool through a proxy', () => {
  it('tunnels with CONNECT, checks the origin certificate over the tunnel, and reuses the tunnel', async () => {
    const server = await startServer(() => ok('{"ok":true}'));
    const proxy = await startProxy();
    const pool = poolFor(server, { proxy: parseProxyUrl(proxy.url) });
    for (let i = 0; i < 3; i++) {
      const response = await pool.request({ method: 'GET', path: `/Users/${i}` });
      expect(response.body.toString()).toBe('{"ok":true}');
    }
    expect(proxy.connects).toEqual([`localhost:${server.port}`]);
    expect(server.requests[0]).toContain(`host: localhost:${server.port}\r\n`);
    // The credentials the proxy needs stop at the proxy.
    expect(server.requests[0]).not.toMatch(/proxy-authorization/i);
  });

  it('sends the proxy credentials from the URL, and only to the proxy', async () => {
    const server = await startServer(() => ok('{}'));
    const proxy = await startProxy({ user: 'svc@corp', password: 'p:ss w0rd' });
    const pool = poolFor(server, { proxy: parseProxyUrl(proxy.url) });
    expect((await pool.request({ method: 'GET', path: '/' })).status).toBe(200);
    expect(proxy.connects).toHaveLength(1);
    expect(server.requests[0]).not.toMatch(/proxy-authorization/i);
  });

  it('fails with an error naming the proxy, not its credentials, when the proxy wants other ones', async () => {
    const server = await startServer(() => ok('{}'));
    const proxy = await startProxy({ user: 'svc', password: 'right' });
    const wrong = parseProxyUrl(proxy.url.replace('svc:right', 'svc:wrong-secret'));
    const failure = await poolFor(server, { proxy: wrong })
      .request({ method: 'GET', path: '/' })
      .catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    const { message, code } = failure as Error & { code?: string };
    expect(message).toBe(
      `proxy ${wrong.label} refused the tunnel to localhost:${server.port}: 407 Proxy Authentication Required (proxy authentication required or refused)`,
    );
    expect(message).not.toMatch(/svc|wrong-secret/);
    // Not a network failure: retrying the same credentials would not help.
    expect(code).toBeUndefined();
    expect(server.connections).toBe(0);
  });

  it('fails with the status the proxy gave when it refuses the destination', async () => {
    const proxy = await startProxy();
    const pool = poolFor({ port: '443' }, { hostname: 'scim.example.net', proxy: parseProxyUrl(proxy.url) });
    await expect(pool.request({ method: 'GET', path: '/' })).rejects.toThrow(
      /^proxy http:\/\/127\.0\.0\.1:\d+ refused the tunnel to scim\.example\.net:443: 403 Forbidden$/,
    );
  });

  it('fails as a network error, retried like one, when the proxy cannot be reached', async () => {
    const proxy = await startProxy();
    const url = proxy.url;
    await proxy.close();
    const server = await startServer(() => ok('{}'));
    await expect(
      poolFor(server, { proxy: parseProxyUrl(url) }).request({ method: 'GET', path: '/' }),
    ).rejects.toMatchObject({
      code: 'ECONNREFUSED',
      message: expect.stringContaining(`proxy ${url}:`),
    });
  });
});

describe('SCIM requests and HTTPS_PROXY', () => {
  it('go through the proxy HTTPS_PROXY names, and around it to a host NO_PROXY lists', async () => {
    const emulator = await startTestEmulator();
    try {
      const proxy = await startProxy({ user: 'svc', password: 'secret' });
      process.env.HTTPS_PROXY = proxy.url;
      expect((await clientFor(emulator).capabilities()).filter).toBe(true);
      expect(proxy.connects).toHaveLength(1);

      process.env.NO_PROXY = 'example.org,localhost';
      await clientFor(emulator).capabilities();
      expect(proxy.connects).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  });
});

describe('Graph and the Entra sign-in and HTTPS_PROXY', () => {
  it('both go through the proxy HTTPS_PROXY names', async () => {
    const emulator = await startGraphEmulator({
      directory: {
        users: [{ id: 'u1', userPrincipalName: 'ada@contoso.example', displayName: 'Ada' }],
        groups: [],
      },
    });
    try {
      const proxy = await startProxy({ user: 'svc', password: 'secret' });
      process.env.HTTPS_PROXY = proxy.url;
      const { snapshot } = await testSource(emulator).readFull();
      expect(snapshot.users).toHaveLength(1);
      // The sign-in's own connection (Azure's pipeline) and the Graph pool's tunnel, both to the emulator.
      expect(proxy.connects.length).toBeGreaterThanOrEqual(2);
      expect(new Set(proxy.connects)).toEqual(new Set([new URL(emulator.graphBaseUrl).host]));
    } finally {
      await emulator.close();
    }
  });
});
