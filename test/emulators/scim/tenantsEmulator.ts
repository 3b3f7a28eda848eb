import type { DevCertificates } from '../../support/devCertificates.js';
import { type EmulatedRequest, type EmulatorServer, startEmulatorServer } from '../https/httpsServer.js';
import { scimRoutes } from './routes.js';
import { scimErrorResponse } from './scimError.js';
import { ScimStore } from './store.js';

/**
 * Many tenants' platforms behind one server: each tenant's SCIM base URL is
 * `https://localhost:PORT/tenants/<tenant>/scim/v2`, with a store of its own created on first use,
 * so a fleet of a thousand tenants costs one port and one TLS listener, not a thousand.
 */
export interface TenantsScimEmulator {
  readonly server: EmulatorServer;
  /** The SCIM base URL of `tenant`'s platform. */
  urlOf(tenant: string): string;
  /** `tenant`'s platform (empty until something is written to it). */
  store(tenant: string): ScimStore;
  /** The tenant a served call's path addresses. */
  tenantOf(path: string): string | undefined;
  close(): Promise<void>;
}

const TENANTS_PREFIX = '/tenants';
const BASE_PATH = `${TENANTS_PREFIX}/:tenant/scim/v2`;

export async function startTenantsScimEmulator(options: {
  readonly certificates: Pick<DevCertificates, 'certPem' | 'keyPem'>;
  readonly token: string;
}): Promise<TenantsScimEmulator> {
  const stores = new Map<string, ScimStore>();
  const store = (tenant: string): ScimStore => {
    let found = stores.get(tenant);
    if (!found) {
      found = new ScimStore();
      stores.set(tenant, found);
    }
    return found;
  };
  let origin = '';
  const tenantParam = (request: EmulatedRequest) => request.params.tenant ?? '';
  const server = await startEmulatorServer({
    certificates: options.certificates,
    routes: scimRoutes({
      storeOf: (request) => store(tenantParam(request)),
      token: options.token,
      pageCap: 100,
      basePath: BASE_PATH,
      baseUrl: (request) => `${origin}${TENANTS_PREFIX}/${tenantParam(request)}/scim/v2`,
    }),
    notFound: (request) =>
      scimErrorResponse(404, undefined, `no endpoint ${request.method} ${request.url.pathname}`),
  });
  origin = server.url;
  return {
    server,
    urlOf: (tenant) => `${origin}${TENANTS_PREFIX}/${encodeURIComponent(tenant)}/scim/v2`,
    store,
    tenantOf: (path) => {
      const [, prefix, tenant] = path.split('/');
      return `/${prefix}` === TENANTS_PREFIX && tenant ? decodeURIComponent(tenant) : undefined;
    },
    close: () => server.close(),
  };
}
