import { randomUUID } from 'node:crypto';
import { seededRandom } from '../../../src/util/seededRandom.js';
import type { DevCertificates } from '../../support/devCertificates.js';
import {
  type CallRecord,
  createRouter,
  type EmulatedRequest,
  type EmulatorServer,
  type FaultSettings,
  startEmulatorServer,
} from '../https/httpsServer.js';
import { BatchItemFaults, batchRoute } from './batch.js';
import { DeltaFeed } from './deltaFeed.js';
import { type DirectoryData, GraphDirectory } from './directory.js';
import { graphError, throttled } from './graphErrors.js';
import { DEFAULT_GRANTED_PERMISSIONS, graphRoutes, refusal } from './graphRoutes.js';
import { AccessTokens, loginRoutes } from './login.js';

/**
 * Microsoft Graph v1.0 and the Entra token endpoint on one HTTPS port, for tests, the demo and the
 * bench. Point `@azure/identity` at `authorityHost` and the Graph client at `graphBaseUrl`.
 */
export interface GraphEmulatorOptions {
  readonly certificates: Pick<DevCertificates, 'certPem' | 'keyPem'>;
  readonly port?: number;
  /** Deterministic draws for fault injection. */
  readonly random?: () => number;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** PEM of the app's certificate, for certificate (client assertion) sign-in. */
  readonly clientCertificatePem?: string;
  /** Application permissions consented for the app; default User.Read.All, GroupMember.Read.All, Application.Read.All. */
  readonly grantedPermissions?: readonly string[];
  readonly servicePrincipalId?: string;
  readonly tokenLifetimeSeconds?: number;
  /** Objects per delta page (Graph's are about 100–200). */
  readonly deltaPageSize?: number;
  /** Start each delta round with an empty page that has a next link. */
  readonly emptyFirstDeltaPage?: boolean;
  /** Seeds which unchanged properties delta items carry when the client did not ask for `return=minimal`. */
  readonly deltaSeed?: number;
  readonly directory?: DirectoryData;
}

export interface GraphEmulator {
  /** Origin, e.g. https://localhost:1234. */
  readonly url: string;
  readonly graphBaseUrl: string;
  /** The login host for `@azure/identity` (`authorityHost`). */
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly servicePrincipalId: string;
  readonly directory: GraphDirectory;
  /** Call log and faults; throttling answers default to Graph's 429 shape. */
  readonly server: EmulatorServer;
  /**
   * The requests served inside `$batch` requests (the server's call log holds the batch itself),
   * since the server's call log was last reset.
   */
  readonly batchedCalls: readonly CallRecord[];
  /** Token-expiry injection: access tokens issued so far are refused with 401. */
  expireAccessTokens(): void;
  /** The next `count` requests inside `$batch` requests are answered 429 (the batch itself 200). */
  throttleBatchItems(count: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<GraphEmulator> {
  let origin = '';
  const servicePrincipalId = options.servicePrincipalId ?? randomUUID();
  const directory = new GraphDirectory({
    id: servicePrincipalId,
    appId: options.clientId,
    displayName: 'dirsync',
  });
  if (options.directory) directory.load(options.directory);
  const tokens = new AccessTokens();
  const delta = new DeltaFeed(directory, {
    pageSize: options.deltaPageSize ?? 100,
    emptyFirstPage: options.emptyFirstDeltaPage ?? false,
    graphBaseUrl: () => `${origin}/v1.0`,
    random: seededRandom(options.deltaSeed ?? 1),
  });
  const grantedPermissions = new Set(options.grantedPermissions ?? DEFAULT_GRANTED_PERMISSIONS);
  const routes = graphRoutes({ directory, delta, tokens, grantedPermissions });
  const notFound = (request: EmulatedRequest) =>
    graphError(400, 'BadRequest', `Resource not found for the segment '${request.url.pathname}'.`);
  const batchFaults = new BatchItemFaults();
  const batchedCalls: CallRecord[] = [];
  const server = await startEmulatorServer({
    certificates: options.certificates,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.random ? { random: options.random } : {}),
    routes: [
      ...loginRoutes(
        {
          tenantId: options.tenantId,
          clientId: options.clientId,
          ...(options.clientSecret !== undefined ? { clientSecret: options.clientSecret } : {}),
          ...(options.clientCertificatePem !== undefined
            ? { clientCertificatePem: options.clientCertificatePem }
            : {}),
          tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
          origin: () => origin,
        },
        tokens,
      ),
      ...routes,
      batchRoute({
        route: createRouter(routes, notFound),
        refuse: (request) => refusal({ tokens, grantedPermissions }, request, []),
        faults: batchFaults,
        calls: batchedCalls,
      }),
    ],
    notFound,
  });
  origin = server.url;
  const withGraphThrottling: EmulatorServer = {
    get url() {
      return server.url;
    },
    get port() {
      return server.port;
    },
    get calls() {
      return server.calls;
    },
    resetCalls: () => {
      server.resetCalls();
      batchedCalls.length = 0;
    },
    setFaults: (faults: FaultSettings) => server.setFaults({ throttled, ...faults }),
    setCompression: (on) => server.setCompression(on),
    close: () => server.close(),
  };
  return {
    url: origin,
    graphBaseUrl: `${origin}/v1.0`,
    authorityHost: origin,
    tenantId: options.tenantId,
    clientId: options.clientId,
    servicePrincipalId,
    directory,
    server: withGraphThrottling,
    batchedCalls,
    expireAccessTokens: () => tokens.expireAll(),
    throttleBatchItems: (count, retryAfterSeconds = 0) => batchFaults.throttle(count, retryAfterSeconds),
    close: () => server.close(),
  };
}
