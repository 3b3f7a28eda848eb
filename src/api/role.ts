import type { ApiRoleOptions, Role } from '../service/role.js';
import { buildApi } from './app.js';

/** Serves the admin API on `api.listen`; stopping finishes the requests in hand. */
export async function startApiRole(options: ApiRoleOptions): Promise<Role & { readonly url: string }> {
  const app = await buildApi(options);
  const { host, port } = listenAddress(options.config.api.listen);
  await app.listen({ host, port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  options.logger.info({ role: 'api', url }, 'api role started');
  return { name: 'api', url, stop: () => app.close() };
}

/** `host:port`, `[v6]:port` or `:port` (all interfaces). */
export function listenAddress(listen: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen.trim());
  if (!match) throw new Error(`api.listen must be host:port, got "${listen}"`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port: Number(match[3]) };
}
