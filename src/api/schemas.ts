import { z } from 'zod';
import { PROVISION_LIMITS } from '../model/provision.js';

/** Request shapes of the admin API: validated here and described in the OpenAPI document from the same schemas. */

export const runOrderBody = z.strictObject({
  mode: z.enum(['full', 'incremental']).default('incremental').describe('full reads the whole source'),
  dryRun: z.boolean().default(false).describe('plan only: the plan is kept in the run record'),
});

export const runsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

export const eventsQuery = z.strictObject({
  subject: z.string().min(1).optional().describe('externalId, userName or displayName'),
  runId: z.string().min(1).optional(),
  after: z
    .string()
    .regex(/^\d+-\d+$/, 'must be an event id, as in `next` of the previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const subjects = z.array(z.string().min(1).max(1024)).default([]);
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

export const loginForm = z.strictObject({ token: z.string().min(1) });
