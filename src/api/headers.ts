import type { FastifyInstance } from 'fastify';
import { DOCS_PATH } from './openapi.js';

/**
 * Headers every answer carries: no page of the API or dashboard can be framed by another site,
 * no answer is stored by a browser or proxy cache (the dashboard shows job data), no URL leaks
 * through a Referer, and no answer is sniffed into another content type.
 */
const HARDENING_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/**
 * The API docs page runs Swagger UI: its scripts, styles and requests come from this host only.
 * Swagger UI sets inline styles as it renders, so styles (never scripts) may be inline there.
 */
const DOCS_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function addHardeningHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.headers(HARDENING_HEADERS);
    if (isDocsPage(request.url)) reply.header('content-security-policy', DOCS_POLICY);
    return payload;
  });
}

function isDocsPage(url: string): boolean {
  return url === DOCS_PATH || url.startsWith(`${DOCS_PATH}/`) || url.startsWith(`${DOCS_PATH}?`);
}
