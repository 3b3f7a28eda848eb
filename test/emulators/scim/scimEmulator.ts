import { SCIM_CONTENT_TYPE } from '../../../src/platform/scimSchemas.js';
import type { DevCertificates } from '../../support/devCertificates.js';
import { type EmulatorServer, type FaultSettings, startEmulatorServer } from '../https/httpsServer.js';
import { CONTROL_PREFIX, controlRoutes } from './controlRoutes.js';
import type { ScimQuirks } from './quirks.js';
import { scimRoutes } from './routes.js';
import { scimErrorResponse } from './scimError.js';
import { ScimStore } from './store.js';

export interface ScimEmulatorOptions {
  readonly certificates: Pick<DevCertificates, 'certPem' | 'keyPem'>;
  /** The bearer token clients must present. */
  readonly token: string;
  /** The most resources one list page returns, whatever `count` asks. */
  readonly pageCap?: number;
  /** Departures from the RFCs to behave like some real servers; `store.quirks` changes them later. */
  readonly quirks?: ScimQuirks;
  readonly port?: number;
  /** Deterministic draws for fault injection. */
  readonly random?: () => number;
}

export interface ScimEmulator {
  /** The SCIM base URL, e.g. https://localhost:PORT/scim/v2. */
  readonly url: string;
  readonly server: EmulatorServer;
  readonly store: ScimStore;
  close(): Promise<void>;
}

const BASE_PATH = '/scim/v2';

/** An in-repo SCIM 2.0 service provider (RFC 7643/7644) for tests, the demo and the bench. */
export async function startScimEmulator(options: ScimEmulatorOptions): Promise<ScimEmulator> {
  const store = new ScimStore();
  store.quirks = options.quirks ?? {};
  let server: EmulatorServer | undefined;
  const started = () => {
    if (server === undefined) throw new Error('the SCIM emulator is not started yet');
    return server;
  };
  const raw = await startEmulatorServer({
    certificates: options.certificates,
    ...(options.port !== undefined && { port: options.port }),
    ...(options.random !== undefined && { random: options.random }),
    routes: [
      ...scimRoutes({
        storeOf: () => store,
        token: options.token,
        pageCap: options.pageCap ?? 100,
        basePath: BASE_PATH,
        baseUrl: () => `${started().url}${BASE_PATH}`,
      }),
      ...controlRoutes(store, started),
    ],
    notFound: (request) =>
      scimErrorResponse(404, undefined, `no endpoint ${request.method} ${request.url.pathname}`),
    isControl: (path) => path.startsWith(CONTROL_PREFIX),
  });
  server = {
    ...raw,
    get calls() {
      return raw.calls;
    },
    /** Throttling answers come in the SCIM error envelope unless the caller shapes them. */
    setFaults: (faults: FaultSettings) => raw.setFaults({ throttled: scimThrottled, ...faults }),
  };
  return { url: `${server.url}${BASE_PATH}`, server, store, close: () => raw.close() };
}

function scimThrottled(retryAfterSeconds: number) {
  return {
    ...scimErrorResponse(429, undefined, 'too many requests'),
    headers: { 'content-type': SCIM_CONTENT_TYPE, 'retry-after': String(retryAfterSeconds) },
  };
}
