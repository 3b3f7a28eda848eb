import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { ConcurrencyLimiter } from '../util/concurrencyLimiter.js';
import { Connection, type ConnectionLimits } from './connection.js';
import type { HttpProxy } from './proxy.js';
import { openTunnel } from './tunnel.js';

export interface KeepAlivePoolOptions {
  readonly hostname: string;
  /** Empty for 443. */
  readonly port: string;
  /** Trusted CAs in place of the defaults; absent, Node's trust store (with NODE_EXTRA_CA_CERTS). */
  readonly ca?: readonly string[];
  /** Connections open at once, so requests in flight. */
  readonly maxConnections: number;
  /** A request with no answer for this long fails with `ETIMEDOUT`. */
  readonly answerTimeoutMs: number;
  /** Sent with every request (credentials, media types): checked and written out once. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Connections go through this proxy's CONNECT tunnels (see proxyFor); absent, straight to the origin. */
  readonly proxy?: HttpProxy | undefined;
  /** A response body larger than this fails its request; 64 MiB when absent. */
  readonly maxResponseBytes?: number;
}

export interface PoolRequest {
  readonly method: string;
  /** Path and query, already encoded. */
  readonly path: string;
  /** On top of the pool's own; the pool writes Host and Content-Length. A frozen object is checked once. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

/** An answer, read whole. */
export interface PoolResponse {
  readonly status: number;
  readonly statusText: string;
  /** Names in lower case. */
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * Idle connections are retired before common servers retire them (Node 5 s, most proxies 60 s),
 * so a request seldom lands on a socket the server is closing.
 */
const IDLE_TIMEOUT_MS = 4_000;
/** Far above any SCIM or Graph page, far below what would hurt the process to hold. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII only: a path arrives percent-encoded, and a space or line break would end the request line. */
const PATH = /^\/[\x21-\x7e]*$/;
/** Visible ASCII, spaces and tabs: nothing that could end the line or change meaning with the encoding. */
const FIELD_VALUE = /^[\t\x20-\x7e]*$/;

function headerLines(headers: Readonly<Record<string, string>>): string {
  let lines = '';
  for (const [name, value] of Object.entries(headers)) {
    // A CR or LF in a value would let it forge headers of its own.
    if (!TOKEN.test(name) || !FIELD_VALUE.test(value)) throw new TypeError(`invalid header "${name}"`);
    if (name.toLowerCase() === 'content-length') throw new TypeError('the pool writes content-length itself');
    lines += `${name}: ${value}\r\n`;
  }
  return lines;
}

class PoolClosedError extends Error {
  override readonly name = 'PoolClosedError';
}

/**
 * HTTPS/1.1 to one origin over at most `maxConnections` keep-alive TLS connections, one request
 * at a time on each, the rest waiting their turn in order.
 *
 * Why not Node's https.request: a SCIM sync is thousands of small requests, and on a busy worker
 * the request and response objects, agent bookkeeping and stream events of Node's client cost
 * about twice the CPU of the TLS and the exchange itself (measured: `npm run bench -- sync`). This
 * client writes a request in one piece and reads its answer with a small parser; it speaks only
 * what a JSON API needs (no upgrades, no pipelining), through an HTTP proxy's CONNECT tunnel
 * when given one.
 */
export class KeepAlivePool {
  readonly #idle: Connection[] = [];
  readonly #all = new Set<Connection>();
  /**
   * One slot per connection: a request holds one while it runs, so a request finds an idle
   * connection or room for a new one, and the rest wait their turn in order.
   */
  readonly #slots: ConcurrencyLimiter;
  /** The header lines every request carries, Host first. */
  readonly #commonHead: string;
  /** Header objects a caller sends again and again (a constant), checked and written out once. */
  readonly #linesOf = new WeakMap<object, string>();
  readonly #limits: ConnectionLimits;
  #closed = false;

  constructor(private readonly options: KeepAlivePoolOptions) {
    this.#slots = new ConcurrencyLimiter(options.maxConnections);
    this.#limits = {
      answerMs: options.answerTimeoutMs,
      idleMs: IDLE_TIMEOUT_MS,
      maxBodyBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    };
    const host = isIP(options.hostname) === 6 ? `[${options.hostname}]` : options.hostname;
    this.#commonHead = headerLines({
      host: options.port === '' ? host : `${host}:${options.port}`,
      ...options.headers,
    });
  }

  async request(request: PoolRequest): Promise<PoolResponse> {
    const wire = this.#serialize(request);
    return this.#slots.run(async () => {
      const connection = this.#idleConnection() ?? (await this.#connect());
      try {
        const response = await connection.exchange(wire, request.method === 'HEAD');
        return {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
          body: response.body,
        };
      } finally {
        this.#release(connection);
      }
    });
  }

  /** Closes every connection; requests waiting for one fail when their turn comes. */
  close(): void {
    this.#closed = true;
    for (const connection of [...this.#all]) connection.close();
  }

  #serialize(request: PoolRequest): string | Buffer {
    if (!TOKEN.test(request.method)) throw new TypeError(`invalid HTTP method "${request.method}"`);
    if (!PATH.test(request.path))
      throw new TypeError('invalid request path: it must start with / and hold no spaces');
    const length = request.body === undefined ? '' : `content-length: ${Buffer.byteLength(request.body)}\r\n`;
    const own = request.headers === undefined ? '' : this.#headerLines(request.headers);
    const head = `${request.method} ${request.path} HTTP/1.1\r\n${this.#commonHead}${own}${length}\r\n`;
    // One write, so head and body leave in the same TLS record when they fit.
    if (request.body === undefined) return head;
    if (typeof request.body === 'string') return `${head}${request.body}`;
    return Buffer.concat([Buffer.from(head, 'latin1'), request.body]);
  }

  #headerLines(headers: Readonly<Record<string, string>>): string {
    let lines = this.#linesOf.get(headers);
    if (lines === undefined) {
      lines = headerLines(headers);
      if (Object.isFrozen(headers)) this.#linesOf.set(headers, lines);
    }
    return lines;
  }

  /**
   * For a request holding a slot: every open connection not held by another is idle, and when
   * none is, there is room for a new one.
   */
  #idleConnection(): Connection | undefined {
    if (this.#closed) throw new PoolClosedError('connection pool closed');
    for (let connection = this.#idle.pop(); connection !== undefined; connection = this.#idle.pop()) {
      if (!connection.open) continue;
      connection.idle(false);
      return connection;
    }
    return undefined;
  }

  #release(connection: Connection): void {
    if (!connection.open) return;
    connection.idle(true);
    this.#idle.push(connection);
  }

  async #connect(): Promise<Connection> {
    const { hostname, ca, proxy } = this.options;
    const port = this.options.port === '' ? 443 : Number(this.options.port);
    const tunnel =
      proxy === undefined ? undefined : await openTunnel(proxy, hostname, port, this.options.answerTimeoutMs);
    if (this.#closed) {
      tunnel?.destroy();
      throw new PoolClosedError('connection pool closed');
    }
    const connection = new Connection(
      {
        // Through a tunnel, host names the origin for the certificate check only.
        host: hostname,
        port,
        ...(tunnel !== undefined && { socket: tunnel }),
        // SNI takes host names only.
        ...(isIP(hostname) === 0 && { servername: hostname }),
        ALPNProtocols: ['http/1.1'],
        ...(ca !== undefined && { ca: [...ca] }),
      },
      this.#limits,
      (closed) => this.#retired(closed),
    );
    this.#all.add(connection);
    return connection;
  }

  #retired(connection: Connection): void {
    this.#all.delete(connection);
    const at = this.#idle.indexOf(connection);
    if (at >= 0) this.#idle.splice(at, 1);
  }
}
