import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  type Middleware,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { type RetryPolicy, throttleWaitMs } from '../../src/http/retryPolicy.js';
import type { CallCounter } from '../../src/model/source.js';
import { mapWithConcurrency } from '../../src/util/mapWithConcurrency.js';
import { AccessTokenCache } from './accessTokenCache.js';
import { batchItemError, type GraphRequestError, toGraphRequestError } from './errors.js';
import { HttpsTransport } from './httpsTransport.js';
import { CountingRetryHandler, GRAPH_RETRY_POLICY, isRetriedStatus } from './throttling.js';

/** A Graph collection page: `value`, and either a next link or (delta) a delta link. */
export interface GraphPage<T> {
  readonly value?: readonly T[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

export type GraphObject = Readonly<Record<string, unknown>>;

/** Graph's limit on the requests of one JSON `$batch`. */
export const BATCH_SIZE = 20;
/** `$batch` requests in flight at once for one read. */
export const BATCH_CONCURRENCY = 4;

interface BatchAnswer {
  readonly responses?: readonly {
    readonly id: string;
    readonly status: number;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: unknown;
  }[];
}

export interface GraphHttpOptions {
  /** e.g. https://graph.microsoft.com/v1.0 */
  readonly graphBaseUrl: string;
  readonly credential: TokenCredential;
  readonly scope: string;
  readonly counter: CallCounter;
  readonly retryPolicy?: RetryPolicy;
}

/**
 * The official Graph client with this connector's middleware chain: token, counted and bounded
 * retries, telemetry, HTTPS transport. Reads either finish every page or throw `GraphRequestError`.
 */
export class GraphHttp {
  readonly #client: Client;
  readonly #counter: CallCounter;
  readonly #retryPolicy: RetryPolicy;

  constructor(options: GraphHttpOptions) {
    this.#counter = options.counter;
    this.#retryPolicy = options.retryPolicy ?? GRAPH_RETRY_POLICY;
    const base = new URL(options.graphBaseUrl);
    const version = base.pathname.replace(/^\/+|\/+$/g, '') || 'v1.0';
    const tokens = new AccessTokenCache(options.credential, options.scope);
    const chain: Middleware[] = [
      new AuthenticationHandler({ getAccessToken: () => tokens.token() }),
      new CountingRetryHandler(options.counter, options.retryPolicy),
      new TelemetryHandler(),
      new HttpsTransport(),
    ];
    chain.reduce((previous, next) => {
      previous.setNext?.(next);
      return next;
    });
    this.#client = Client.initWithMiddleware({
      baseUrl: base.origin,
      defaultVersion: version,
      middleware: chain[0],
      // The SDK only attaches tokens to Graph hosts it knows; emulators and proxies must be named.
      customHosts: new Set([base.hostname]),
    });
  }

  /** One GET; `pathOrUrl` is a path under the base (query already encoded) or a next/delta link. */
  async get<T = GraphObject>(pathOrUrl: string, headers: Readonly<Record<string, string>> = {}): Promise<T> {
    try {
      return (await this.#client.api(pathOrUrl).headers(headers).get()) as T;
    } catch (error) {
      throw toGraphRequestError(error, pathOrUrl);
    }
  }

  /**
   * One GET per path (under the base, query encoded), sent 20 to a JSON `$batch` request; each
   * answer in the order asked, undefined where the object does not exist (404). A request the
   * batch answers 429, 503 or 504 goes again in a later batch after the wait it asks for, as a
   * request sent alone would; any other failure fails the read.
   */
  async getEach<T = GraphObject>(paths: readonly string[]): Promise<(T | undefined)[]> {
    const results = new Array<T | undefined>(paths.length);
    const chunks: number[][] = [];
    for (let start = 0; start < paths.length; start += BATCH_SIZE) {
      chunks.push(paths.slice(start, start + BATCH_SIZE).map((_, offset) => start + offset));
    }
    await mapWithConcurrency(chunks, BATCH_CONCURRENCY, async (chunk) => {
      let pending = chunk;
      for (let attempt = 1; pending.length > 0; attempt++) {
        const requests = pending.map((index) => ({ id: String(index), method: 'GET', url: paths[index] }));
        const answer = await this.#batch(requests);
        const answered = new Map((answer.responses ?? []).map((response) => [response.id, response]));
        const again: number[] = [];
        let waitMs = 0;
        for (const index of pending) {
          const response = answered.get(String(index));
          const path = paths[index] ?? '';
          if (response === undefined)
            throw batchItemError(path, 0, { message: 'the $batch answer left it out' });
          if (response.status >= 200 && response.status < 300) results[index] = response.body as T;
          else if (response.status === 404) results[index] = undefined;
          else if (isRetriedStatus(response.status) && attempt < this.#retryPolicy.maxAttempts) {
            again.push(index);
            const retryAfter = headerValue(response.headers, 'retry-after');
            waitMs = Math.max(
              waitMs,
              throttleWaitMs(retryAfter, attempt, this.#retryPolicy, Date.now(), Math.random()),
            );
          } else throw batchItemError(path, response.status, response.body);
        }
        if (again.length > 0) {
          this.#counter.throttled('source', waitMs);
          await new Promise((wake) => setTimeout(wake, waitMs));
        }
        pending = again;
      }
    });
    return results;
  }

  async #batch(
    requests: readonly { id: string; method: string; url: string | undefined }[],
  ): Promise<BatchAnswer> {
    try {
      return (await this.#client.api('/$batch').post({ requests })) as BatchAnswer;
    } catch (error) {
      throw toGraphRequestError(error, '/$batch', 'POST');
    }
  }

  /** One GET, or undefined when the object does not exist (404). */
  async find<T = GraphObject>(pathOrUrl: string): Promise<T | undefined> {
    try {
      return await this.get<T>(pathOrUrl);
    } catch (error) {
      if ((error as GraphRequestError).isNotFound) return undefined;
      throw error;
    }
  }

  /** Every item of a collection, following next links to the end (an empty page ends nothing). */
  async listAll<T = GraphObject>(path: string): Promise<T[]> {
    return this.listOn(await this.get<GraphPage<T>>(path));
  }

  /**
   * Every item of a collection whose first page is already read (inside a `$batch`, say): that
   * page's items, then the next links followed to the end.
   */
  async listOn<T = GraphObject>(firstPage: GraphPage<T>): Promise<T[]> {
    const items: T[] = [...(firstPage.value ?? [])];
    for (let link = firstPage['@odata.nextLink']; link !== undefined; ) {
      const page: GraphPage<T> = await this.get<GraphPage<T>>(link);
      items.push(...(page.value ?? []));
      link = page['@odata.nextLink'];
    }
    return items;
  }

  /**
   * One delta round: next links followed until a delta link comes. Pages may be empty and still
   * have a next link; a page with neither link means the round did not finish, which is an error.
   */
  async deltaRound<T = GraphObject>(link: string): Promise<{ items: T[]; deltaLink: string }> {
    const items: T[] = [];
    for (let next = link; ; ) {
      // Updated objects then carry exactly the properties that changed, a cleared one as null.
      const page: GraphPage<T> = await this.get<GraphPage<T>>(next, { Prefer: 'return=minimal' });
      items.push(...(page.value ?? []));
      const deltaLink = page['@odata.deltaLink'];
      if (deltaLink !== undefined) return { items, deltaLink };
      const nextLink = page['@odata.nextLink'];
      if (nextLink === undefined) {
        throw toGraphRequestError(new Error('a delta page had neither a next link nor a delta link'), next);
      }
      next = nextLink;
    }
  }
}

function headerValue(headers: Readonly<Record<string, string>> | undefined, name: string): string | null {
  const found = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return found?.[1] ?? null;
}

/** A path with OData query options, each value URL-encoded (the SDK sends query values as given). */
export function graphPath(
  path: string,
  query: Readonly<Record<string, string | number | undefined>>,
): string {
  const parts = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`);
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}
