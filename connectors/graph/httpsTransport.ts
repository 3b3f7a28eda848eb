import type { IncomingHttpHeaders } from 'node:http';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { ACCEPTED_ENCODINGS, decodeBody } from '../../src/http/contentDecoding.js';
import { DEFAULT_MAX_RESPONSE_BYTES, KeepAlivePool } from '../../src/http/keepAlivePool.js';
import { httpsOrigin } from '../../src/http/origin.js';
import { proxyFor } from '../../src/http/proxy.js';

/** A Graph answer that has not moved in this long is abandoned (and retried by the caller). */
const TIMEOUT_MS = 120_000;

const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/**
 * Connections to one Graph host from the whole process. Each read bounds its own parallelism;
 * this is only a ceiling high enough that tenants syncing at once do not queue behind one another.
 */
const CONNECTIONS_PER_HOST = 256;

/**
 * One keep-alive pool per Graph host for every call of the process, as fetch's global dispatcher
 * was: connections outlive a run, and idle ones close after a few seconds.
 */
const pools = new Map<string, KeepAlivePool>();

function poolFor(url: URL): KeepAlivePool {
  const origin = httpsOrigin(url);
  const { hostname, port } = origin;
  const key = `${hostname}:${port}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new KeepAlivePool({
      hostname,
      port,
      maxConnections: CONNECTIONS_PER_HOST,
      answerTimeoutMs: TIMEOUT_MS,
      proxy: proxyFor(origin),
    });
    pools.set(key, pool);
  }
  return pool;
}

/**
 * The last middleware of the Graph client's chain, in place of its `HTTPMessageHandler`: the same
 * request and the same `Response`, sent over a keep-alive pool instead of `fetch`, which spent
 * about a millisecond of CPU per call (a full read makes hundreds). Compressed answers are asked
 * for, as `fetch` does, and unpacked off the main thread.
 */
export class HttpsTransport implements Middleware {
  async execute(context: Context): Promise<void> {
    if (typeof context.request !== 'string')
      throw new Error('the Graph transport sends requests given by URL only');
    const url = new URL(context.request);
    const options = context.options ?? {};
    const headers = Object.fromEntries(new Headers(options.headers));
    headers['accept-encoding'] ??= ACCEPTED_ENCODINGS;
    // The pool writes Host and counts the body itself.
    delete headers['content-length'];
    delete headers.host;
    const answer = await poolFor(url).request({
      path: `${url.pathname}${url.search}`,
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined && options.body !== null && { body: requestBody(options.body) }),
    });
    const encoding = String(answer.headers['content-encoding'] ?? 'identity').toLowerCase();
    const decoded = await decodeBody(encoding, answer.body, DEFAULT_MAX_RESPONSE_BYTES);
    const body = decoded ?? answer.body;
    context.response = new BufferedResponse(NULL_BODY_STATUSES.has(answer.status) ? null : body, {
      status: answer.status,
      statusText: answer.statusText,
      headers: responseHeaders(answer.headers, decoded !== undefined),
    });
  }
}

/**
 * A Response whose body is already in memory: the SDK reads JSON answers through `json()`, which
 * here parses the bytes at hand instead of pulling them through a web stream first. A JSON answer
 * gets no web stream at all (making one cost more than parsing the page): its readers all read the
 * bytes. Any other answer keeps its stream, which the SDK hands out for types it does not parse.
 */
class BufferedResponse extends Response {
  readonly #bytes: Buffer;

  constructor(bytes: Buffer | null, init: ResponseInit & { headers: Headers }) {
    const json = /^application\/json\b/i.test(init.headers.get('content-type') ?? '');
    super(json ? null : bytes, init);
    this.#bytes = bytes ?? Buffer.alloc(0);
  }

  // Properties, not methods: that is how the DOM typings declare Response's readers.
  override text = async (): Promise<string> => this.#bytes.toString('utf8');
  override json = async (): Promise<unknown> => JSON.parse(this.#bytes.toString('utf8'));
  override arrayBuffer = async (): Promise<ArrayBuffer> => new Uint8Array(this.#bytes).buffer;
  override blob = async (): Promise<Blob> => new Blob([this.#bytes]);
}

function requestBody(body: NonNullable<RequestInit['body']>): string | Buffer {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error('the Graph transport sends string or byte bodies only');
}

/** The answer's headers; once unpacked, the encoding and length describe bytes no longer there. */
function responseHeaders(incoming: IncomingHttpHeaders, decoded: boolean): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    if (decoded && (name === 'content-encoding' || name === 'content-length')) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}
