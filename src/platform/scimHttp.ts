import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Secret } from '../config/secret.js';
import { failureWithoutAnswer } from '../http/failureWithoutAnswer.js';
import { KeepAlivePool } from '../http/keepAlivePool.js';
import { isTransientNetworkError } from '../http/networkErrors.js';
import { httpsOrigin } from '../http/origin.js';
import { proxyFor } from '../http/proxy.js';
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  isThrottled,
  type RetryPolicy,
  throttleWaitMs,
} from '../http/retryPolicy.js';
import { PlatformError } from '../model/platform.js';
import type { CallCounter } from '../model/source.js';
import { jsonOrText } from '../util/jsonOrText.js';
import { isJsonObject } from './json.js';
import { SCIM_CONTENT_TYPE } from './scimSchemas.js';

/** The one logging call the client makes; a pino Logger fits. */
export interface WarnLogger {
  warn(object: object, message: string): void;
}

export interface ScimHttpOptions {
  readonly baseUrl: string;
  readonly token: Secret;
  /** PEM of extra CAs, trusted on top of the default ones. */
  readonly ca?: string;
  /** Sockets (and so requests in flight) to this platform. */
  readonly concurrency: number;
  readonly counter?: CallCounter;
  readonly logger?: WarnLogger;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
}

export interface ScimResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface ScimRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the base URL, e.g. `/Users/123`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** Frozen, so the pool writes its line out once. */
const BODY_HEADERS = Object.freeze({ 'content-type': SCIM_CONTENT_TYPE });

/**
 * HTTPS to one SCIM service provider: keep-alive sockets, bearer auth, SCIM media types, and
 * retries of throttling (honouring Retry-After) and of transient network failures. Callers
 * get every other answer as it came; `failure` turns one into a PlatformError.
 */
export class ScimHttp {
  readonly #pool: KeepAlivePool;
  /** The base URL's path, parsed once: a URL per request was a measurable share of a sync. */
  readonly #basePath: string;
  readonly #retry: RetryPolicy;

  constructor(private readonly options: ScimHttpOptions) {
    const origin = httpsOrigin(options.baseUrl);
    this.#basePath = origin.basePath;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#pool = new KeepAlivePool({
      hostname: origin.hostname,
      port: origin.port,
      maxConnections: options.concurrency,
      answerTimeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      proxy: proxyFor(origin),
      headers: {
        authorization: `Bearer ${options.token.reveal()}`,
        accept: `${SCIM_CONTENT_TYPE}, application/json`,
      },
      ...(options.ca !== undefined && { ca: trustedWith(options.ca) }),
    });
  }

  /** `counter` overrides the one given at construction: one connection pool, counted per caller. */
  async send(
    request: ScimRequest,
    counter: CallCounter | undefined = this.options.counter,
  ): Promise<ScimResponse> {
    const path = `${this.#basePath}/${request.path.replace(/^\//, '')}`;
    const query = request.query === undefined ? '' : `?${new URLSearchParams(request.query).toString()}`;
    let networkRetries = 0;
    for (let attempt = 1; ; attempt++) {
      counter?.call('target');
      let response: ScimResponse & { retryAfter?: string };
      try {
        response = await this.#sendOnce(request.method, `${path}${query}`, request.body);
      } catch (error) {
        if (!isTransientNetworkError(error) || networkRetries >= this.#retry.maxNetworkRetries)
          throw new PlatformError(
            `SCIM ${request.method} ${path}: ${networkReason(error)}`,
            0,
            undefined,
            failureWithoutAnswer(error),
          );
        networkRetries++;
        const waitMs = backoffMs(networkRetries, this.#retry, Math.random());
        this.options.logger?.warn(
          { method: request.method, path, reason: networkReason(error), waitMs },
          'platform connection failed; retrying',
        );
        await sleep(waitMs);
        continue;
      }
      if (!isThrottled(response.status) || attempt >= this.#retry.maxAttempts) return response;
      const waitMs = throttleWaitMs(response.retryAfter, attempt, this.#retry, Date.now(), Math.random());
      counter?.throttled('target', waitMs);
      this.options.logger?.warn(
        { method: request.method, path, status: response.status, attempt, waitMs },
        'platform throttled; waiting',
      );
      await sleep(waitMs);
    }
  }

  close(): void {
    this.#pool.close();
  }

  async #sendOnce(
    method: string,
    path: string,
    body: unknown,
  ): Promise<ScimResponse & { retryAfter?: string }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const response = await this.#pool.request({
      path,
      method,
      ...(payload !== undefined && { headers: BODY_HEADERS, body: payload }),
    });
    const retryAfter = response.headers['retry-after'];
    return {
      status: response.status,
      body: jsonOrText(response.body.toString('utf8')),
      ...(retryAfter !== undefined && { retryAfter }),
    };
  }
}

/** A PlatformError for a non-success answer: status, SCIM scimType and detail, never request headers. */
export function failure(request: ScimRequest, response: ScimResponse): PlatformError {
  const body = isJsonObject(response.body) ? response.body : {};
  const scimType = typeof body.scimType === 'string' ? body.scimType : undefined;
  const detail = typeof body.detail === 'string' ? body.detail : undefined;
  const reason = [scimType, detail].filter((part) => part !== undefined).join(': ');
  return new PlatformError(
    `SCIM ${request.method} ${request.path} failed with ${response.status}${reason ? ` (${reason})` : ''}`,
    response.status,
    scimType,
  );
}

/**
 * Passing `ca` replaces Node's trust store, so the default roots (and NODE_EXTRA_CA_CERTS, which
 * Node 20 cannot list) are added back: the extra CA widens trust, it does not narrow it.
 */
function trustedWith(ca: string): string[] {
  const extraFile = process.env.NODE_EXTRA_CA_CERTS;
  const extra = extraFile ? readOptional(extraFile) : undefined;
  return [...rootCertificates, ...(extra === undefined ? [] : [extra]), ca];
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function networkReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : (error as Error).message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((wake) => setTimeout(wake, ms));
}
