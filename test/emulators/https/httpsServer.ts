import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { jsonOrText } from '../../../src/util/jsonOrText.js';
import type { DevCertificates } from '../../support/devCertificates.js';

/**
 * The HTTPS scaffolding every in-repo emulator (platform SCIM, Graph + Entra login, Okta) shares:
 * routing, JSON bodies, call counting and fault injection. Each emulator supplies only its routes.
 */
export interface EmulatedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly params: Readonly<Record<string, string>>;
  /** The parsed JSON body, or the raw text when it is not JSON, or undefined. */
  readonly body: unknown;
  readonly rawBody: string;
}

export interface EmulatedResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RouteHandler = (request: EmulatedRequest) => EmulatedResponse | Promise<EmulatedResponse>;

export interface Route {
  readonly method: string;
  /** Segments; `:name` captures one segment, a trailing `*` captures the rest as `params['*']`. */
  readonly pattern: string;
  readonly handler: RouteHandler;
}

/** Injected trouble: each request draws once against the rates, after `latencyMs`. */
export interface FaultSettings {
  readonly rate429?: number;
  readonly rate503?: number;
  readonly latencyMs?: number;
  readonly retryAfterSeconds?: number;
  /** Builds the throttling answer in the emulated service's own shape. */
  readonly throttled?: (retryAfterSeconds: number) => EmulatedResponse;
}

export interface CallRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface EmulatorServer {
  readonly url: string;
  readonly port: number;
  readonly calls: readonly CallRecord[];
  resetCalls(): void;
  setFaults(faults: FaultSettings): void;
  /** Answers gzip-compressed to clients that accept it, as Graph and most CDNs do; off by default. */
  setCompression(on: boolean): void;
  close(): Promise<void>;
}

export interface EmulatorServerOptions {
  readonly certificates: Pick<DevCertificates, 'certPem' | 'keyPem'>;
  readonly routes: readonly Route[];
  readonly port?: number;
  readonly host?: string;
  /** Answers requests no route takes, in the emulated service's error shape. */
  readonly notFound?: (request: EmulatedRequest) => EmulatedResponse;
  /** Deterministic draws for fault injection; defaults to Math.random. */
  readonly random?: () => number;
  /** Requests that bypass fault injection and call counting (control endpoints). */
  readonly isControl?: (path: string) => boolean;
}

export async function startEmulatorServer(options: EmulatorServerOptions): Promise<EmulatorServer> {
  const calls: CallRecord[] = [];
  let faults: FaultSettings = {};
  let compression = false;
  const random = options.random ?? Math.random;
  const route = createRouter(options.routes, options.notFound);

  const server = createServer(
    { cert: options.certificates.certPem, key: options.certificates.keyPem, keepAlive: true },
    (incoming, outgoing) => {
      void handle(incoming, outgoing);
    },
  );
  server.keepAliveTimeout = 30_000;

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', `https://${incoming.headers.host ?? 'localhost'}`);
    const rawBody = await readBody(incoming);
    const control = options.isControl?.(url.pathname) ?? false;
    let response: EmulatedResponse;
    try {
      if (!control && faults.latencyMs) await new Promise((wake) => setTimeout(wake, faults.latencyMs));
      const injected = control ? undefined : drawFault(faults, random);
      response = injected ?? (await route(incoming.method ?? 'GET', url, incoming.headers, rawBody));
    } catch (error) {
      response = { status: 500, body: { error: (error as Error).message } };
    }
    if (!control)
      calls.push({ method: incoming.method ?? 'GET', path: url.pathname, status: response.status });
    send(outgoing, response, compression && acceptsGzip(incoming.headers['accept-encoding']));
  }

  await new Promise<void>((resolveListen) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolveListen),
  );
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${port}`,
    port,
    calls,
    resetCalls: () => {
      calls.length = 0;
    },
    setFaults: (next) => {
      faults = next;
    },
    setCompression: (on) => {
      compression = on;
    },
    close: () =>
      new Promise((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

/** A request as the routes see it, dispatched to the first route that takes it. */
export type Router = (
  method: string,
  url: URL,
  headers: IncomingMessage['headers'],
  rawBody: string,
) => Promise<EmulatedResponse>;

/** Routes requests; an emulator that nests requests in one (JSON batching) routes each through it too. */
export function createRouter(
  routes: readonly Route[],
  notFound?: (request: EmulatedRequest) => EmulatedResponse,
): Router {
  const compiled = routes.map((route) => ({ ...route, segments: splitPath(route.pattern) }));
  return async (method, url, headers, rawBody) => {
    const segments = splitPath(url.pathname);
    for (const candidate of compiled) {
      if (candidate.method !== method) continue;
      const params = matchSegments(candidate.segments, segments);
      if (params)
        return candidate.handler({ method, url, headers, params, body: jsonOrText(rawBody), rawBody });
    }
    const request = { method, url, headers, params: {}, body: jsonOrText(rawBody), rawBody };
    return notFound?.(request) ?? { status: 404, body: { error: 'not found' } };
  };
}

function drawFault(faults: FaultSettings, random: () => number): EmulatedResponse | undefined {
  const draw = random();
  const retryAfter = faults.retryAfterSeconds ?? 1;
  if (faults.rate429 && draw < faults.rate429) {
    return (
      faults.throttled?.(retryAfter) ?? {
        status: 429,
        headers: { 'retry-after': String(retryAfter) },
        body: { error: 'too many requests' },
      }
    );
  }
  if (faults.rate503 && draw < (faults.rate429 ?? 0) + faults.rate503) {
    return {
      status: 503,
      headers: { 'retry-after': String(retryAfter) },
      body: { error: 'service unavailable' },
    };
  }
  return undefined;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(
  pattern: readonly string[],
  actual: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index++) {
    const expected = pattern[index]!;
    if (expected === '*') {
      params['*'] = actual.slice(index).map(decodeURIComponent).join('/');
      return params;
    }
    const segment = actual[index];
    if (segment === undefined) return undefined;
    if (expected.startsWith(':')) params[expected.slice(1)] = decodeURIComponent(segment);
    else if (expected.toLowerCase() !== segment.toLowerCase()) return undefined;
  }
  return pattern.length === actual.length ? params : undefined;
}

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((coding) => coding.trim().split(';')[0] === 'gzip');
}

function send(outgoing: ServerResponse, response: EmulatedResponse, gzip: boolean): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | Buffer = '';
  if (response.body !== undefined) {
    payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    if (gzip) {
      payload = gzipSync(payload);
      headers['content-encoding'] = 'gzip';
    }
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  outgoing.writeHead(response.status, headers);
  outgoing.end(payload);
}
