import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { type Agent, request } from 'node:https';

export interface HttpsExchangeRequest {
  readonly hostname: string;
  /** Empty for the scheme's default port. */
  readonly port: string;
  /** Path and query, already encoded. */
  readonly path: string;
  readonly method: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
  /** A socket silent this long fails the exchange with `ETIMEDOUT`. */
  readonly timeoutMs: number;
}

export interface HttpsExchangeResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** A failure worth another try: the connection broke, was refused or went silent, and no answer came. */
export function isTransientNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code);
}

/**
 * One HTTPS request and its whole answer over a keep-alive agent: the transport both the SCIM
 * client and the Graph connector send through. Node's own client costs a fraction of `fetch`
 * per request, which shows once a sync makes thousands of them.
 */
export function httpsExchange(agent: Agent, outgoing: HttpsExchangeRequest): Promise<HttpsExchangeResponse> {
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        hostname: outgoing.hostname,
        port: outgoing.port,
        path: outgoing.path,
        method: outgoing.method,
        headers: outgoing.headers,
        agent,
        timeout: outgoing.timeoutMs,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            statusText: incoming.statusMessage ?? '',
            headers: incoming.headers,
            body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
          }),
        );
      },
    );
    sent.on('timeout', () =>
      sent.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })),
    );
    sent.on('error', reject);
    sent.end(outgoing.body);
  });
}

/** Where a base URL points, as `httpsExchange` takes it; the path has no trailing slash. */
export interface HttpsOrigin {
  readonly hostname: string;
  readonly port: string;
  readonly basePath: string;
}

export function httpsOrigin(baseUrl: string | URL): HttpsOrigin {
  const base = typeof baseUrl === 'string' ? new URL(baseUrl) : baseUrl;
  return {
    // An IPv6 literal comes bracketed in a URL but must not be in a request's hostname.
    hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: base.port,
    basePath: base.pathname.replace(/\/+$/, ''),
  };
}
