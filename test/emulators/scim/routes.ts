import { timingSafeEqual } from 'node:crypto';
import type { JsonObject } from '../../../src/platform/json.js';
import {
  LIST_RESPONSE_URN,
  SCIM_CONTENT_TYPE,
  SERVICE_PROVIDER_CONFIG_URN,
} from '../../../src/platform/scimSchemas.js';
import type { EmulatedRequest, EmulatedResponse, Route, RouteHandler } from '../https/httpsServer.js';
import { parseListQuery, parseProjection } from './listQuery.js';
import { ScimError, scimErrorResponse } from './scimError.js';
import type { ResourceType, ScimStore } from './store.js';

export interface ScimRouteOptions {
  /** The platform a request addresses: one store, or one per tenant named in the path. */
  readonly storeOf: (request: EmulatedRequest) => ScimStore;
  readonly token: string;
  readonly pageCap: number;
  /** Where the SCIM endpoints live on the server, e.g. `/scim/v2`; `:name` segments are captured. */
  readonly basePath: string;
  /** The public base URL of the request's platform, for `meta.location`. */
  readonly baseUrl: (request: EmulatedRequest) => string;
}

/** The RFC 7644 endpoints of the emulated service provider, behind bearer authentication. */
export function scimRoutes(options: ScimRouteOptions): Route[] {
  const { storeOf } = options;
  const route = (method: string, path: string, handler: RouteHandler): Route => ({
    method,
    pattern: `${options.basePath}${path}`,
    handler: authenticated(options.token, handler),
  });
  const render = (request: EmulatedRequest, type: ResourceType, resource: JsonObject): JsonObject => ({
    ...resource,
    meta: {
      ...(resource.meta as JsonObject),
      location: `${options.baseUrl(request)}/${type}/${String(resource.id)}`,
    },
  });

  const list =
    (type: ResourceType): RouteHandler =>
    (request) => {
      const store = storeOf(request);
      const { quirks } = store;
      const query = parseListQuery(request.url.searchParams, options.pageCap, quirks);
      const project = parseProjection(request.url.searchParams);
      const ids = query.matchesNothing ? [] : store.query(type, query.filter);
      const restart = quirks.ignoresStartIndex || (quirks.pastEndRestarts && query.startIndex > ids.length);
      const startIndex = restart ? 1 : query.startIndex;
      const page = ids
        .slice(startIndex - 1, startIndex - 1 + query.count)
        .map((id) => project(render(request, type, store.get(type, id))));
      return scimJson(200, {
        schemas: [LIST_RESPONSE_URN],
        totalResults: ids.length,
        itemsPerPage: quirks.itemsPerPageEchoesCount ? query.count : page.length,
        startIndex,
        ...((page.length > 0 || quirks.emptyResources !== 'absent') && { Resources: page }),
      });
    };

  const one =
    (type: ResourceType, status: number, act: (request: EmulatedRequest) => JsonObject): RouteHandler =>
    (request) => {
      const resource = render(request, type, act(request));
      const location = (resource.meta as JsonObject).location as string;
      const headers: Record<string, string> = storeOf(request).quirks.noLocation ? {} : { location };
      return scimJson(status, parseProjection(request.url.searchParams)(resource), headers);
    };

  const patchedUser = one('Users', 200, (request) =>
    storeOf(request).patch('Users', id(request), request.body),
  );

  const resourceRoutes = (type: ResourceType): Route[] => [
    route('GET', `/${type}`, list(type)),
    route(
      'POST',
      `/${type}`,
      one(type, 201, (request) => storeOf(request).create(type, request.body)),
    ),
    route(
      'GET',
      `/${type}/:id`,
      one(type, 200, (request) => storeOf(request).get(type, id(request))),
    ),
    route(
      'PUT',
      `/${type}/:id`,
      one(type, 200, (request) => storeOf(request).replace(type, id(request), request.body)),
    ),
    route('PATCH', `/${type}/:id`, (request) => {
      const store = storeOf(request);
      if (type === 'Users' && !store.quirks.patchNoContent) return patchedUser(request);
      // RFC 7644 §3.5.2 allows 204: echoing a group of 100k members after each member change would not scale.
      store.patch(type, id(request), request.body);
      return { status: 204 };
    }),
    route('DELETE', `/${type}/:id`, (request) => {
      storeOf(request).delete(type, id(request));
      return { status: 204 };
    }),
  ];

  return [
    route('GET', '/ServiceProviderConfig', (request) =>
      scimJson(200, serviceProviderConfig(options, request, storeOf(request).quirks.refuseFilters !== 'all')),
    ),
    ...resourceRoutes('Users'),
    ...resourceRoutes('Groups'),
  ];
}

function serviceProviderConfig(
  options: ScimRouteOptions,
  request: EmulatedRequest,
  filters: boolean,
): JsonObject {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_URN],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: filters, maxResults: options.pageCap },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Authorization: Bearer <token>' },
    ],
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${options.baseUrl(request)}/ServiceProviderConfig`,
    },
  };
}

/** Refuses requests without the bearer token and turns refusals into SCIM error envelopes. */
function authenticated(token: string, handler: RouteHandler): RouteHandler {
  const expected = Buffer.from(`Bearer ${token}`);
  return async (request) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return scimErrorResponse(401, undefined, 'a valid bearer token is required');
    try {
      return await handler(request);
    } catch (error) {
      if (error instanceof ScimError) return scimErrorResponse(error.status, error.scimType, error.message);
      throw error;
    }
  };
}

function id(request: EmulatedRequest): string {
  return request.params.id ?? '';
}

function scimJson(status: number, body: unknown, headers: Record<string, string> = {}): EmulatedResponse {
  return { status, body, headers: { 'content-type': SCIM_CONTENT_TYPE, ...headers } };
}
