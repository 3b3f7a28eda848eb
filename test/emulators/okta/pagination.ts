import type { EmulatedRequest } from '../https/httpsServer.js';

export interface PageLimits {
  readonly defaultLimit: number;
  readonly maxLimit: number;
  readonly minLimit?: number;
}

/** The `limit` a request asks for, clamped as Okta clamps it. */
export function pageLimit(request: EmulatedRequest, limits: PageLimits): number {
  const asked = Number(request.url.searchParams.get('limit') ?? limits.defaultLimit);
  const limit = Number.isFinite(asked) && asked > 0 ? Math.floor(asked) : limits.defaultLimit;
  return Math.max(limits.minLimit ?? 1, Math.min(limits.maxLimit, limit));
}

/** Opaque to clients, as Okta's `after` cursors are. */
export function encodeAfter(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

export function decodeAfter(request: EmulatedRequest): string | undefined {
  const after = request.url.searchParams.get('after');
  return after ? Buffer.from(after, 'base64url').toString('utf8') : undefined;
}

/** `Link` header with ABSOLUTE urls: the same query with `after` and `limit` replaced. */
export function linkHeader(request: EmulatedRequest, limit: number, nextAfter?: string): string {
  const link = (after: string | undefined, rel: string) => {
    const url = new URL(request.url.pathname, request.url.origin);
    for (const [name, value] of request.url.searchParams) {
      if (name !== 'after' && name !== 'limit') url.searchParams.append(name, value);
    }
    if (after !== undefined) url.searchParams.set('after', after);
    url.searchParams.set('limit', String(limit));
    return `<${url.href}>; rel="${rel}"`;
  };
  const self = link(request.url.searchParams.get('after') ?? undefined, 'self');
  return nextAfter === undefined ? self : `${self}, ${link(nextAfter, 'next')}`;
}

/**
 * One page of `items` (sorted by `keyOf`) after the request's cursor. The cursor names the last
 * key served, so items added or removed between pages neither repeat nor vanish.
 */
export function pageByKey<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  request: EmulatedRequest,
  limits: PageLimits,
): { readonly page: T[]; readonly link: string } {
  const limit = pageLimit(request, limits);
  const after = decodeAfter(request);
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) > after);
  const page = start < 0 ? [] : items.slice(start, start + limit);
  const last = page.at(-1);
  const more = start >= 0 && start + limit < items.length && last !== undefined;
  return { page, link: linkHeader(request, limit, more ? encodeAfter(keyOf(last)) : undefined) };
}
