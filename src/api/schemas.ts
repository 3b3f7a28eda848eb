import { z } from 'zod';
import { PROVISION_LIMITS, SUGGESTION_LIMITS } from '../model/provision.js';
import { RUN_ID_PATTERN } from '../runs/requestRun.js';

/** Request shapes of the admin API: validated here and described in the OpenAPI document from the same schemas. */

export const runOrderBody = z.strictObject({
  mode: z.enum(['full', 'incremental']).default('incremental').describe('full reads the whole source'),
  dryRun: z.boolean().default(false).describe('plan only: the plan is kept in the run record'),
});

/** A run ordered from a console form: every field arrives as text, the CSRF token beside them. */
export const consoleRunOrder = z.strictObject({
  csrf: z.string(),
  mode: z.enum(['full', 'incremental']),
  dryRun: z.enum(['true', 'false']).transform((value) => value === 'true'),
});

export const runsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

export const runId = z.string().regex(RUN_ID_PATTERN, 'must be a run id, as `runId` of a run');

/** A Redis stream id small enough for Redis to take: both parts fit in 64 bits. */
const streamCursor = z
  .string()
  .regex(/^\d{1,16}-\d{1,16}$/, 'must be an entry id, as in `next` of the previous page');

export const eventsQuery = z
  .strictObject({
    subject: z
      .string()
      .min(1)
      .max(1024)
      .optional()
      .describe('part of a userName, email, group displayName, externalId or platform id, case-insensitive'),
    runId: runId.optional(),
    outcome: z.enum(['success', 'failure', 'skipped']).optional(),
    order: z
      .enum(['oldest', 'newest'])
      .default('oldest')
      .describe('oldest first (read on with `after`) or newest first (read back with `before`)'),
    after: streamCursor.optional(),
    before: streamCursor.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .refine((query) => query.order === 'newest' || query.before === undefined, {
    message: '`before` reads back in time: use it with order=newest',
    path: ['before'],
  })
  .refine((query) => query.order === 'oldest' || query.after === undefined, {
    message: '`after` reads on in time: use it with order=oldest',
    path: ['after'],
  });

/** A console GET form sends each of its fields, an empty one as '': that is no value. */
function formField<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

/** The console's provisioning-log search form, and the cursor of its "Older" link. */
export const consoleLogQuery = z.strictObject({
  subject: formField(z.string().max(1024)),
  runId: formField(runId),
  outcome: formField(z.enum(['success', 'failure', 'skipped'])),
  before: formField(streamCursor),
});

/** The console's explain form. */
export const consoleExplainQuery = z.strictObject({
  subject: formField(z.string().max(1024)),
  kind: z.enum(['user', 'group']).default('user'),
});

export const auditQuery = z.strictObject({
  after: streamCursor.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The count is checked before any item: a body of a million bad items costs one problem, not a million. */
const subjects = z
  .array(z.unknown())
  .max(PROVISION_LIMITS.maxSubjects, `at most ${PROVISION_LIMITS.maxSubjects} subjects per request`)
  .pipe(z.array(z.string().min(1).max(1024)))
  .default([]);
export const provisionBody = z
  .strictObject({
    users: subjects.describe('object id, userName (UPN / login) or email'),
    groups: subjects.describe('object id or display name'),
  })
  .refine((body) => body.users.length + body.groups.length > 0, {
    message: 'name at least one user or group',
    path: ['users'],
  })
  .refine((body) => body.users.length + body.groups.length <= PROVISION_LIMITS.maxSubjects, {
    message: `at most ${PROVISION_LIMITS.maxSubjects} subjects per request`,
    path: ['users'],
  });

export const explainQuery = z.strictObject({
  subject: z
    .string()
    .min(1)
    .max(1024)
    .describe('user: object id, userName (UPN / login) or email; group: object id or display name'),
  kind: z.enum(['user', 'group']).default('user'),
});

export const suggestionsQuery = z.strictObject({
  kind: z.enum(['user', 'group']).default('user'),
  text: z
    .string()
    .trim()
    .min(SUGGESTION_LIMITS.minText, `type at least ${SUGGESTION_LIMITS.minText} characters`)
    .max(SUGGESTION_LIMITS.maxText)
    .describe('the start of a userName (UPN / login), email or display name; of a group name'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(SUGGESTION_LIMITS.maxResults)
    .default(SUGGESTION_LIMITS.defaultResults),
});

/** References typed one per line in a console form, read as the API's list (blank lines dropped). */
const referenceLines = z
  .string()
  .max(PROVISION_LIMITS.maxSubjects * 1025)
  .default('')
  .transform((text) => [...new Set(text.split(/\r?\n/).map((line) => line.trim()))].filter(Boolean));

/** Provision on demand ordered from the console's form: the lists as text, the CSRF token beside them. */
export const consoleProvisionForm = z.strictObject({
  csrf: z.string(),
  users: referenceLines,
  groups: referenceLines,
});

export const loginForm = z.strictObject({ token: z.string().min(1).max(4096) });

export const logoutQuery = z.strictObject({
  all: z
    .enum(['0', '1'])
    .default('0')
    .transform((value) => value === '1')
    .describe('1: end every session of the token, in every browser'),
});

export const tenantParams = z.object({ tenant: z.string().describe('tenant id, as in the config') });
export const runParams = tenantParams.extend({
  runId: z.string().describe('`runId` of a run (any other text: 404)'),
});

/** `?token=` signs the browser in; without it the sign-in form is shown. */
export const loginQuery = z.looseObject({
  token: z.unknown().optional().describe('a token for every tenant'),
});
