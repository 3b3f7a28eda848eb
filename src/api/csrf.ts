import type { FastifyRequest } from 'fastify';
import { forbidden } from './httpErrors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery on the dashboard and the console: a browser attaches the session cookie (or cached
 * Basic credentials) to a form another page posts, but it always says where the page came from.
 * A state-changing request must come from a page of this very host (`Origin`, else `Referer`).
 * A bearer token is never attached by a browser, so such requests need no proof.
 */
export function refuseCrossSite(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (/^bearer\s/i.test(request.headers.authorization ?? '')) return;
  const from = request.headers.origin ?? request.headers.referer;
  const own = hostOf(`${request.protocol}://${request.host}`);
  if (from === undefined || own === undefined || hostOf(from) !== own) {
    throw forbidden(
      'this action must come from a page of the dashboard or the console itself (Origin check)',
    );
  }
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}
