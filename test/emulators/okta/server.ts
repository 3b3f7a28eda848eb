import { OKTA_READ_SCOPES } from '../../../connectors/okta/scopes.js';
import type { DevCertificates } from '../../support/devCertificates.js';
import {
  type EmulatedResponse,
  type EmulatorServer,
  type FaultSettings,
  type RouteHandler,
  startEmulatorServer,
} from '../https/httpsServer.js';
import { createEmulatorClock, type EmulatorClock } from './clock.js';
import type { OktaDirectory } from './directory.js';
import { type OAuthClientRegistration, OAuthTokenEndpoint } from './oauth.js';
import { EmulatedOrg } from './org.js';
import { DEFAULT_RATE_LIMITS, type RateLimitBucket, RateLimitWindows } from './rateLimits.js';
import { oktaError, rateLimited } from './responses.js';
import { oktaRoutes } from './routes.js';

export interface OktaEmulatorOptions {
  readonly certificates: Pick<DevCertificates, 'certPem' | 'keyPem'>;
  /** The SSWS API token the org accepts. */
  readonly token: string;
  readonly port?: number;
  /** Draws for fault injection. */
  readonly random?: () => number;
  readonly clock?: EmulatorClock;
  /** A service app for OAuth 2.0 private key JWT clients. */
  readonly oauthClient?: OAuthClientRegistration;
  /** What the SSWS token may read, as the matching OAuth scopes; defaults to all four read scopes. */
  readonly tokenScopes?: readonly string[];
  /** Per-minute limits per bucket; Okta's published Workforce limits by default. */
  readonly rateLimits?: Partial<Record<RateLimitBucket, number>>;
  /** The org's contents at start (see generateOktaOrg); loaded without log events. */
  readonly directory?: OktaDirectory;
}

export interface OktaEmulator {
  /** The orgUrl to configure, e.g. https://localhost:41234 (no trailing slash). */
  readonly url: string;
  /** Control: change the org as an admin would; each change writes its System Log events. */
  readonly org: EmulatedOrg;
  readonly clock: EmulatorClock;
  readonly server: EmulatorServer;
  close(): Promise<void>;
}

/** An Okta org's Management API, System Log and org authorization server, over HTTPS. */
export async function startOktaEmulator(options: OktaEmulatorOptions): Promise<OktaEmulator> {
  const clock = options.clock ?? createEmulatorClock();
  const org = new EmulatedOrg(clock);
  if (options.directory) org.load(options.directory);
  const rateLimits = new RateLimitWindows({ ...DEFAULT_RATE_LIMITS, ...options.rateLimits }, clock);
  const dated = (response: EmulatedResponse): EmulatedResponse => ({
    ...response,
    headers: { ...response.headers, date: new Date(clock.now()).toUTCString() },
  });
  const routes = oktaRoutes({
    org,
    clock,
    rateLimits,
    oauth: new OAuthTokenEndpoint(options.oauthClient, OKTA_READ_SCOPES, clock),
    token: options.token,
    tokenScopes: new Set(options.tokenScopes ?? OKTA_READ_SCOPES),
  }).map((route) => {
    const handler: RouteHandler = async (request) => dated(await route.handler(request));
    return { ...route, handler };
  });
  const server = await startEmulatorServer({
    certificates: options.certificates,
    routes,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.random ? { random: options.random } : {}),
    notFound: (request) =>
      dated(
        oktaError(
          404,
          'E0000022',
          `The endpoint does not support the provided HTTP method: ${request.url.pathname}`,
        ),
      ),
  });
  // Injected 429s speak Okta: X-Rate-Limit-* and Date instead of Retry-After.
  const throttled = (retryAfterSeconds: number): EmulatedResponse =>
    dated(
      rateLimited({
        'x-rate-limit-limit': String(DEFAULT_RATE_LIMITS.users),
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(Math.ceil(clock.now() / 1000) + retryAfterSeconds),
      }),
    );
  const setFaults = (faults: FaultSettings) => server.setFaults({ throttled, ...faults });
  return {
    url: server.url,
    org,
    clock,
    server: { ...server, setFaults },
    close: () => server.close(),
  };
}
