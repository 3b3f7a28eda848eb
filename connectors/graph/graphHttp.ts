import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  type Middleware,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import type { RetryPolicy } from '../../src/http/retryPolicy.js';
import type { CallCounter } from '../../src/model/source.js';
import { AccessTokenCache } from './accessTokenCache.js';
import { CountingRetryHandler } from './countingRetryHandler.js';
import { type GraphRequestError, toGraphRequestError } from './graphRequestError.js';
import { HttpsTransport } from './httpsTransport.js';

/** A Graph collection page: `value`, and either a next link or (delta) a delta link. */
export interface GraphPage<T> {
  readonly value?: readonly T[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

export type GraphObject = Readonly<Record<string, unknown>>;

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

  constructor(options: GraphHttpOptions) {
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
  async get<T = GraphObject>(pathOrUrl: string): Promise<T> {
    try {
      return (await this.#client.api(pathOrUrl).get()) as T;
    } catch (error) {
      throw toGraphRequestError(error, pathOrUrl);
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
    const items: T[] = [];
    for (let link: string | undefined = path; link !== undefined; ) {
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
      const page: GraphPage<T> = await this.get<GraphPage<T>>(next);
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
