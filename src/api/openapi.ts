import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { errors, GUARDED } from './responses.js';

export const DOCS_PATH = '/docs';

/** The page's top bar names the service, not the web framework. */
const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40"><text x="0" y="28" font-family="sans-serif" font-size="26" fill="#fff">dirsync</text></svg>';

const ACCESS_NOTE = {
  read: 'Any valid token (viewer or operator).',
  write: 'An operator token.',
} as const;

/**
 * The OpenAPI document is generated from the routes' own schemas, so this must be registered
 * before any route. Routes behind a token are marked so in the document, with the guard's answers.
 */
export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', describeAccess);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'dirsync admin API',
        version: '1',
        description:
          'JSON answers; every answer carries `x-request-id`. Errors are `{ error, message, field?, problems? (the first 20), problemCount? }`; a 502 adds the upstream `status`, `scimType` or `code`, and `detail`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
}

/** The page at /docs: Swagger UI from this process (no CDN); its Authorize button takes a token for try-it-out. */
export async function registerDocsPage(app: FastifyInstance): Promise<void> {
  app.get(`${DOCS_PATH}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, {
    routePrefix: DOCS_PATH,
    theme: { title: 'dirsync admin API' },
    logo: { type: 'image/svg+xml', content: LOGO },
    // The headers hook sets the page's policy; the UI's own would be replaced anyway.
    staticCSP: false,
    uiConfig: { validatorUrl: null, tryItOutEnabled: false, persistAuthorization: false },
  });
}

function describeAccess(route: RouteOptions): void {
  const access = route.config?.access;
  if (!access || !route.schema || route.schema.hide) return;
  const schema = route.schema as RouteOptions['schema'] & {
    description?: string;
    security?: unknown;
    response?: Record<string, unknown>;
  };
  route.schema = {
    ...schema,
    description: [schema.description, ACCESS_NOTE[access]].filter(Boolean).join(' '),
    security: [{ bearer: [] }],
    response: {
      ...errors(...GUARDED, ...(route.url.includes(':tenant') ? ([404] as const) : [])),
      ...schema.response,
    },
  };
}
