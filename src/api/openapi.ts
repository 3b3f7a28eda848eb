import { z } from 'zod';
import {
  auditQuery,
  eventsQuery,
  explainQuery,
  logoutQuery,
  provisionBody,
  runOrderBody,
  runsQuery,
} from './schemas.js';

type JsonObject = Record<string, unknown>;

interface Operation {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly summary: string;
  /** Absent: public. */
  readonly access?: 'read' | 'write';
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly success: { readonly status: number; readonly description: string; readonly content?: string };
}

const tenantRuns = '/v1/tenants/{tenant}/runs';

/** Every route of the admin API (README, "Admin API"), described once: the OpenAPI document is built from it. */
const OPERATIONS: readonly Operation[] = [
  { method: 'get', path: '/healthz', summary: 'Liveness', success: { status: 200, description: 'alive' } },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Redis reachable, config loaded',
    success: { status: 200, description: 'ready (503 when not)' },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (token for all tenants)',
    access: 'read',
    success: { status: 200, description: 'Prometheus text', content: 'text/plain' },
  },
  {
    method: 'get',
    path: '/v1/tenants',
    summary: 'Status of the tenants this token may see',
    access: 'read',
    success: { status: 200, description: '{ tenants: TenantStatus[] }' },
  },
  {
    method: 'get',
    path: '/v1/tenants/{tenant}',
    summary: 'Status: last run, next run, quarantine, cursor age',
    access: 'read',
    success: { status: 200, description: 'TenantStatus' },
  },
  {
    method: 'post',
    path: '/v1/tenants/{tenant}/test-connection',
    summary: 'Source and target reachable, credentials and permissions enough',
    access: 'write',
    success: { status: 200, description: '{ ok, checks[] }' },
  },
  {
    method: 'post',
    path: tenantRuns,
    summary: 'On-demand resync; coalesced into one follow-up run while a run is in flight',
    access: 'write',
    body: runOrderBody,
    success: { status: 202, description: '{ runId, status, coalesced, behind? }' },
  },
  {
    method: 'get',
    path: tenantRuns,
    summary: 'Run history, newest first',
    access: 'read',
    query: runsQuery,
    success: { status: 200, description: '{ runs: RunRecord[] }' },
  },
  {
    method: 'get',
    path: `${tenantRuns}/{runId}`,
    summary: 'One run with counts, failures, and its plan when dry or held',
    access: 'read',
    success: { status: 200, description: 'RunRecord' },
  },
  {
    method: 'post',
    path: `${tenantRuns}/{runId}/approve`,
    summary: 'Release a run held by a safety guard (409 when it is not held)',
    access: 'write',
    success: { status: 202, description: '{ runId, status }' },
  },
  {
    method: 'post',
    path: '/v1/tenants/{tenant}/provision',
    summary: 'Provision chosen users or groups now, ahead of scheduled work, with a step trace per subject',
    access: 'write',
    body: provisionBody,
    success: {
      status: 200,
      description: '{ runId, results: [{ subject, kind, status, steps[] }], followUpRunId?, note? }',
    },
  },
  {
    method: 'get',
    path: '/v1/tenants/{tenant}/explain',
    summary:
      'Why a user or group is (not) on the platform and what the next run would do: the provision trace, nothing applied',
    access: 'read',
    query: explainQuery,
    success: {
      status: 200,
      description: '{ tenant, dryRun: true, subject, kind, status, steps[] }',
    },
  },
  {
    method: 'get',
    path: '/v1/tenants/{tenant}/events',
    summary: 'Provisioning log, ordered; pass `next` as `after` to read on',
    access: 'read',
    query: eventsQuery,
    success: { status: 200, description: '{ events[], next? }' },
  },
  {
    method: 'post',
    path: '/v1/tenants/{tenant}/reset',
    summary: 'Forget cursors (next run is full) and clear the quarantine',
    access: 'write',
    success: { status: 200, description: '{ tenant, cursorForgotten, quarantineCleared }' },
  },
  {
    method: 'get',
    path: '/v1/audit',
    summary:
      'Audit log of write requests (operator tokens; a tenant-scoped token sees its tenants), oldest first; pass `next` as `after`',
    access: 'read',
    query: auditQuery,
    success: {
      status: 200,
      description:
        '{ entries: [{ id, at, requestId, method, route, tenant?, token, address, status, ms }], next? }',
    },
  },
  {
    method: 'post',
    path: '/admin/login',
    summary: 'Dashboard sign-in: a form with `token` (a token for every tenant); sets the session cookie',
    success: {
      status: 303,
      description: 'redirect to /admin/queues (401 with the form again)',
      content: 'text/html',
    },
  },
  {
    method: 'post',
    path: '/admin/logout',
    summary: 'Ends this dashboard session; `?all=1` ends every session of the same token',
    query: logoutQuery,
    success: { status: 303, description: 'redirect to /admin/login' },
  },
  {
    method: 'get',
    path: '/admin/queues',
    summary: 'BullMQ dashboard (bearer, Basic with the token as password, or the /admin/login session)',
    access: 'read',
    success: { status: 200, description: 'HTML', content: 'text/html' },
  },
];

const ERRORS: Record<string, JsonObject> = {
  '400': { description: 'bad body or query: `field` names the failing field' },
  '401': { description: 'no valid token' },
  '403': { description: 'a viewer on a write route, or a token not scoped to the tenant' },
  '404': { description: 'unknown tenant or run' },
  '429': { description: 'too many failed authentications from this address: wait `Retry-After` seconds' },
};

export function openApiDocument(): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const operation of OPERATIONS) {
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = describe(operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'dirsync admin API',
      version: '1',
      description:
        'JSON; errors are { error, message, field?, problems? (the first 20), problemCount? }. Every answer carries x-request-id.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

function describe(operation: Operation): JsonObject {
  const parameters = [
    ...[...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...Object.entries(queryProperties(operation.query)).map(([name, schema]) => ({
      name,
      in: 'query',
      required: false,
      schema,
    })),
  ];
  const content = operation.success.content ?? 'application/json';
  return {
    summary: operation.summary,
    ...(operation.access ? { security: [{ bearer: [] }], 'x-dirsync-access': operation.access } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: false,
            content: { 'application/json': { schema: z.toJSONSchema(operation.body, { io: 'input' }) } },
          },
        }
      : {}),
    responses: {
      [String(operation.success.status)]: {
        description: operation.success.description,
        content: { [content]: {} },
      },
      ...(operation.access ? ERRORS : {}),
    },
  };
}

function queryProperties(query: z.ZodObject | undefined): Record<string, unknown> {
  if (!query) return {};
  const schema = z.toJSONSchema(query, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
  };
  return schema.properties ?? {};
}

/** A page a person can read without a Swagger bundle: the operations, and the document itself. */
export function docsPage(document: JsonObject): string {
  const rows = Object.entries(
    document.paths as Record<string, Record<string, { summary: string; 'x-dirsync-access'?: string }>>,
  )
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, operation]) =>
          `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${path}</code></td><td>${operation['x-dirsync-access'] ?? 'public'}</td><td>${operation.summary}</td></tr>`,
      ),
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dirsync admin API</title></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem">
<h1>dirsync admin API</h1>
<p>Send <code>Authorization: Bearer &lt;token&gt;</code>. Viewers read; operators also write. OpenAPI 3.1: <a href="/docs/openapi.json">/docs/openapi.json</a></p>
<table cellpadding="6"><thead><tr><th>method</th><th>path</th><th>access</th><th>what</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>`;
}
