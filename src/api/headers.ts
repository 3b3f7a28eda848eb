import type { FastifyInstance } from 'fastify';

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

export function addHardeningHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(HARDENING_HEADERS);
    return payload;
  });
}
