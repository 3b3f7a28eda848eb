import { z } from 'zod';
import { MEMBERS_LISTED } from '../model/run.js';
import { EVENT_SCAN_BOUND } from '../runs/eventScan.js';

/**
 * Answer shapes of the admin API, declared once per route: fastify serialises through them and the
 * OpenAPI document describes them. Objects are loose: a field the service adds reaches clients
 * before this file names it, and no answer loses a field to serialisation.
 */

const runRecord = z
  .looseObject({
    id: z.string(),
    tenant: z.string(),
    requestedMode: z.enum(['full', 'incremental']),
    mode: z.enum(['full', 'incremental']),
    dryRun: z.boolean(),
    trigger: z.string(),
    status: z.string(),
    createdAt: z.string(),
    failureCount: z.number(),
  })
  .meta({ id: 'Run', description: 'a run: counts, failures, and its plan when dry or held' });

export const errorAnswer = z
  .looseObject({
    error: z.string().describe('the status in words, or `internal`'),
    message: z.string().optional(),
    field: z.string().optional().describe('400: the first failing field, dotted'),
    problems: z
      .array(z.looseObject({ field: z.string(), message: z.string() }))
      .optional()
      .describe('400: the first 20 problems'),
    problemCount: z.number().optional().describe('400: how many problems in all'),
    status: z.number().optional().describe('502: the status the platform or source answered (0: none)'),
    scimType: z.string().optional().describe("502: the platform's SCIM error type"),
    code: z.string().optional().describe("502: the source's error code"),
    detail: z.string().optional().describe('502: the upstream reason, clipped'),
  })
  .meta({ id: 'Error', description: 'an error: texts are at most 200 characters' });

const ERROR_MEANINGS = {
  400: 'bad body, query or form: `field` names the failing field',
  401: 'no valid token',
  403: 'a viewer on a write route, or a token not scoped to the tenant',
  404: 'unknown tenant or run',
  409: 'the run is not held',
  413: 'the body is over 1 MiB',
  429: 'too many failed authentications from this address: wait `Retry-After` seconds',
  502: 'the platform or the source answered an error, or none',
} as const;

type ErrorStatus = keyof typeof ERROR_MEANINGS;

/** Error answers of a route, all in the one error shape, each with what it means here. */
export function errors(...statuses: ErrorStatus[]): Partial<Record<ErrorStatus, z.ZodType>> {
  return Object.fromEntries(statuses.map((status) => [status, errorAnswer.describe(ERROR_MEANINGS[status])]));
}

/** Every route behind a token answers these before its own work (and 404 for an unknown tenant). */
export const GUARDED = [401, 403, 429] as const satisfies readonly ErrorStatus[];

/** A non-JSON answer, documented under its content type. */
export function textAnswer(description: string, contentType: string) {
  return { description, content: { [contentType]: { schema: z.string() } } };
}

/** A redirect: no body. */
export function emptyAnswer(description: string) {
  return z.string().max(0).describe(description);
}

export const healthAnswer = z.strictObject({ ok: z.literal(true) }).describe('alive');
export const readinessAnswer = z
  .looseObject({ ready: z.boolean(), redis: z.string(), tenants: z.number() })
  .describe('ready: Redis answered (503: `redis` says why not)');

export const tenantStatusAnswer = z
  .looseObject({
    id: z.string(),
    source: z.string(),
    state: z.enum(['idle', 'running', 'quarantined']),
    lastRun: runRecord.nullable(),
    runInFlight: z.string().nullable(),
    followUpRun: z.string().nullable(),
    nextRunAt: z.string().nullable(),
    quarantine: z.looseObject({}),
    cursor: z.looseObject({ committedAt: z.string(), ageSeconds: z.number() }).nullable(),
  })
  .meta({ id: 'TenantStatus', description: 'status: last run, next run, quarantine, cursor age' });
export const tenantListAnswer = z
  .looseObject({ tenants: z.array(tenantStatusAnswer) })
  .describe('the tenants this token may see');

export const connectionReportAnswer = z
  .looseObject({
    tenant: z.string(),
    ok: z.boolean(),
    checks: z.array(z.looseObject({ side: z.enum(['source', 'target']), ok: z.boolean() })),
    warnings: z.array(z.string()),
  })
  .describe('each check of source and target, and the platform capabilities');

export const connectionFailureAnswer = errorAnswer
  .extend(connectionReportAnswer.partial().shape)
  .describe('a side answered an error, or none: the upstream answer and the whole report');

export const resetAnswer = z
  .looseObject({ tenant: z.string(), cursorForgotten: z.boolean(), quarantineCleared: z.boolean() })
  .describe('cursors forgotten (next run is full), quarantine cleared');

export const runOrderAnswer = z
  .looseObject({
    runId: z.string(),
    status: z.string(),
    mode: z.enum(['full', 'incremental']),
    dryRun: z.boolean(),
    coalesced: z.boolean().describe('a run was in flight: this order became its follow-up run'),
    behind: z.string().optional(),
  })
  .describe('run ordered; `location` names it');
export const runListAnswer = z
  .looseObject({ runs: z.array(runRecord) })
  .describe('runs, newest first, without their plans');
export const runAnswer = runRecord;
export const approvalAnswer = z
  .looseObject({ runId: z.string(), status: z.string() })
  .describe('the held run is released');

const attributeValue = z.union([z.string(), z.boolean()]);

const provisioningEvent = z
  .looseObject({
    id: z.string(),
    runId: z.string(),
    at: z.string(),
    objectType: z.enum(['user', 'group']),
    externalId: z.string(),
    targetId: z.string().optional(),
    subject: z.string().optional().describe("the user's userName or the group's displayName"),
    email: z.string().optional().describe("a user's work email, when the op carried it"),
    op: z.string().optional().describe('absent when the object failed before an op was chosen'),
    outcome: z.enum(['success', 'failure', 'skipped']),
    reason: z.string().optional(),
    changes: z
      .array(
        z.looseObject({ path: z.string(), from: attributeValue.optional(), to: attributeValue.optional() }),
      )
      .optional()
      .describe(
        'the attributes the op sent: from → to for an update, `to` only for a create; never a password path',
      ),
    members: z
      .looseObject({
        added: z.array(z.string()),
        removed: z.array(z.string()),
        more: z
          .number()
          .optional()
          .describe(`members added or removed beyond the first ${MEMBERS_LISTED} listed`),
      })
      .optional()
      .describe('externalIds of the group members the op added or removed'),
  })
  .meta({ id: 'ProvisioningEvent', description: 'one object touched or failed by a run' });

export const eventPageAnswer = z
  .looseObject({
    events: z.array(provisioningEvent),
    next: z
      .string()
      .optional()
      .describe('pass as `after` (oldest first) or `before` (newest first) to read on'),
    scanLimited: z
      .literal(true)
      .optional()
      .describe(
        `the search examined ${EVENT_SCAN_BOUND.toLocaleString('en')} entries before the page filled: read on from \`next\``,
      ),
  })
  .describe('provisioning events, in the order asked');

export const provisionAnswer = z
  .looseObject({
    runId: z.string(),
    results: z.array(z.looseObject({ subject: z.string(), kind: z.string(), status: z.string() })),
    followUpRunId: z.string().optional(),
    note: z.string().optional(),
  })
  .describe('each subject with its step trace');

export const suggestionsAnswer = z
  .strictObject({
    suggestions: z.array(
      z.strictObject({
        id: z.string().describe('the source object id'),
        name: z
          .string()
          .describe('userName (UPN / login) of a user, display name of a group: what provision takes'),
        detail: z.string().describe("a user's display name and email where they differ from name"),
      }),
    ),
  })
  .describe(
    'users or groups of the source whose name starts with the text, by name; not narrowed to the scope',
  );

export const explainAnswer = z
  .looseObject({
    tenant: z.string(),
    dryRun: z.literal(true),
    subject: z.string(),
    kind: z.string(),
    status: z.string(),
    steps: z.array(z.looseObject({ step: z.string(), status: z.string() })),
  })
  .describe("the subject's dry-run trace: scope, mapping, match and the action the next run would take");

export const auditPageAnswer = z
  .looseObject({
    entries: z.array(
      z.looseObject({
        id: z.string(),
        at: z.string(),
        requestId: z.string(),
        method: z.string(),
        route: z.string(),
        tenant: z.string().optional(),
        token: z.string(),
        address: z.string(),
        status: z.number(),
        ms: z.number(),
      }),
    ),
    next: z.string().optional().describe('pass as `after` to read on'),
  })
  .describe('write requests, oldest first');
