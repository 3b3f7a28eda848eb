import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, bearer, startApiHarness, TOKENS } from './fixtures.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness(12);
});
afterAll(async () => {
  await api?.close();
});

async function servedDocument(): Promise<OpenAPIV3_1.Document> {
  const answer = await api.app.inject({ method: 'GET', url: '/docs/openapi.json' });
  expect(answer.statusCode).toBe(200);
  return answer.json();
}

/**
 * Every route the app answers, from fastify's own route tree (one line per path segment, four
 * characters of indent per level, the methods in brackets), as `METHOD /path/{param}`.
 */
function registeredRoutes(): string[] {
  const parents: string[] = [];
  const routes: string[] = [];
  for (const line of api.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (parents[depth - 1] ?? '') + match[2]!;
    parents[depth] = path;
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes;
}

/** The UI's own routes and bull-board's assets and JSON API are not part of the admin API. */
// The docs UI, bull-board's internals and the console's pages are for a browser, not API operations.
const UNDOCUMENTED = [/^\/docs(\/|$)/, /^\/admin\/queues\/./, /^\/console(\/|$)/];
/** Browser form posts answered with a redirect: their success is a 303. */
const REDIRECTS = new Set(['POST /admin/login', 'POST /admin/logout']);

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1, with one shared error schema', async () => {
    const document = await servedDocument();
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
    expect(document.components?.schemas?.Error).toBeDefined();
    expect(JSON.stringify(document).length).toBeLessThan(64 * 1024);
  });

  it('names every registered route, each with a success answer and its schema', async () => {
    const document = await servedDocument();
    const routes = registeredRoutes().filter(
      (route) =>
        !route.startsWith('HEAD ') && !UNDOCUMENTED.some((pattern) => pattern.test(route.split(' ')[1]!)),
    );
    expect(routes).toEqual(
      expect.arrayContaining(['GET /v1/tenants/{tenant}/runs/{runId}', 'GET /admin/queues']),
    );
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      // A prefix's own route answers with and without the trailing slash: one path in the document.
      const item = document.paths?.[path] ?? document.paths?.[`${path}/`];
      const operation = item?.[method.toLowerCase() as OpenAPIV3_1.HttpMethods];
      expect(operation, route).toBeDefined();
      const successes = Object.entries(operation!.responses ?? {}).filter(([status]) =>
        REDIRECTS.has(route) ? status === '303' : /^2\d\d$/.test(status),
      );
      expect(successes.length, route).toBeGreaterThan(0);
      for (const [, answer] of successes) {
        const content = (answer as OpenAPIV3_1.ResponseObject).content;
        expect(
          Object.values(content ?? {}).every((media) => media.schema !== undefined),
          route,
        ).toBe(true);
        expect(Object.keys(content ?? {}).length, route).toBeGreaterThan(0);
      }
    }
  });

  it('describes requests from the schemas the routes validate with, and marks what needs a token', async () => {
    const document = await servedDocument();
    const order = document.paths?.['/v1/tenants/{tenant}/runs']?.post;
    expect(order).toBeDefined();
    const body = (order!.requestBody as OpenAPIV3_1.RequestBodyObject).content['application/json']
      ?.schema as {
      properties: Record<string, { enum?: string[] }>;
    };
    expect(body.properties.mode?.enum).toEqual(['full', 'incremental']);
    expect(order?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(order?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '401', '403', '404']),
    );
    expect(document.paths?.['/healthz']?.get?.security).toBeUndefined();
    const invalid = await api.app.inject({
      method: 'POST',
      url: '/v1/tenants/alpha/runs',
      headers: bearer(TOKENS.operator),
      payload: { mode: 'sideways' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: 'bad request', field: 'mode', problemCount: 1 });
  });
});

describe('the docs page', () => {
  it('serves Swagger UI and its assets from the process, under a policy that allows only this host', async () => {
    const page = await api.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).not.toMatch(/https?:\/\//);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/docs/static/swagger-ui-bundle.js']));
    for (const asset of assets) {
      const answer = await api.app.inject({ method: 'GET', url: asset });
      expect(answer.statusCode, asset).toBe(200);
    }
    const policy = page.headers['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    const initializer = await api.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    // Swagger UI's default would send the document to an outside validator.
    expect(initializer.body).toContain('"validatorUrl":null');
  });

  it('leaves try-it-out to the token the reader gives: the API it calls checks it as always', async () => {
    const without = await api.app.inject({ method: 'GET', url: '/v1/tenants' });
    expect(without.statusCode).toBe(401);
    const api404 = await api.app.inject({
      method: 'GET',
      url: '/v1/tenants',
      headers: bearer(TOKENS.viewer),
    });
    expect(api404.statusCode).toBe(200);
    const elsewhere = await api.app.inject({ method: 'GET', url: '/v1/tenants' });
    expect(elsewhere.headers['content-security-policy']).toBe("frame-ancestors 'none'");
  });
});
