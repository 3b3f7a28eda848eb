import { z } from 'zod';
import { ATTRIBUTE_FILTER_OPS, type AttributeFilter } from '../model/attributeFilter.js';
import { CSV_DELIMITERS } from '../model/csvDelimiters.js';

/**
 * The configuration file's shape (README, "Configuration"). Secret fields hold references (`env:NAME`,
 * `file:PATH`) here; `load.ts` resolves them into `Secret`s after validation.
 */
const secretReference = z
  .string()
  .min(1, 'required')
  .describe('env:NAME or file:PATH (inline values only in the demo)');

const httpsUrl = z
  .string()
  .url('must be a URL')
  .refine((value) => value.startsWith('https://'), 'must be an https:// URL');

const cronExpression = z
  .string()
  .regex(/^\S+( \S+){4,5}$/, 'must be a cron expression of 5 or 6 fields, e.g. "*/40 * * * *"');

export const attributeFilterSchema = z.strictObject({
  attribute: z.string().min(1),
  op: z.enum(ATTRIBUTE_FILTER_OPS),
  value: z
    .union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))])
    .optional(),
}) satisfies z.ZodType<AttributeFilter>;

const allScope = z.strictObject({ mode: z.literal('all') });
const groupsScope = z.strictObject({
  mode: z.literal('groups'),
  groups: z.array(z.string().min(1)).min(1, 'list at least one group id or name'),
});

const graphSource = z
  .strictObject({
    type: z.literal('graph'),
    tenantId: z.string().min(1),
    clientId: z.string().min(1),
    clientSecret: secretReference.optional(),
    certificatePath: secretReference.optional(),
    scope: z
      .discriminatedUnion('mode', [
        allScope,
        groupsScope,
        z.strictObject({ mode: z.literal('assigned'), servicePrincipalId: z.string().min(1) }),
      ])
      .default({ mode: 'all' }),
    filters: z.array(attributeFilterSchema).default([]),
    graphBaseUrl: httpsUrl.default('https://graph.microsoft.com/v1.0'),
    authorityHost: httpsUrl.default('https://login.microsoftonline.com'),
  })
  .refine((source) => Boolean(source.clientSecret) !== Boolean(source.certificatePath), {
    message: 'give exactly one of clientSecret or certificatePath',
    path: ['clientSecret'],
  });

const oktaSource = z
  .strictObject({
    type: z.literal('okta'),
    orgUrl: z
      .string()
      .url('must be a URL')
      .transform((url) => url.replace(/\/+$/, '')),
    token: secretReference.optional(),
    clientId: z.string().min(1).optional(),
    privateKey: secretReference.optional(),
    keyId: z.string().min(1).optional(),
    scope: z
      .discriminatedUnion('mode', [
        allScope,
        groupsScope,
        z.strictObject({ mode: z.literal('app'), appId: z.string().min(1) }),
      ])
      .default({ mode: 'all' }),
    filters: z.array(attributeFilterSchema).default([]),
    /** Okta STAGED and PROVISIONED users have never signed in; by default they are provisioned inactive. */
    pendingUsers: z.enum(['inactive', 'active', 'skip']).default('inactive'),
  })
  .refine((source) => Boolean(source.token) !== Boolean(source.clientId || source.privateKey), {
    message: 'give either token (SSWS), or clientId with privateKey (OAuth service app), not both',
    path: ['token'],
  })
  .refine((source) => Boolean(source.clientId) === Boolean(source.privateKey), {
    message: 'the OAuth service app needs both clientId and privateKey',
    path: ['privateKey'],
  });

const fileSource = z.strictObject({
  type: z.literal('file'),
  path: z.string().min(1),
  format: z.enum(['json', 'csv']).optional(),
  /** CSV only; detected from the header line when absent. */
  delimiter: z.enum(CSV_DELIMITERS, { error: 'must be one of ",", ";" or "\\t" (tab)' }).optional(),
  scope: z.discriminatedUnion('mode', [allScope, groupsScope]).default({ mode: 'all' }),
  filters: z.array(attributeFilterSchema).default([]),
});

export const sourceSchema = z.discriminatedUnion('type', [graphSource, oktaSource, fileSource]);

const targetSchema = z.strictObject({
  url: httpsUrl,
  token: secretReference,
  caFile: z.string().min(1).optional(),
  /** Requests in flight to this platform for this tenant. */
  concurrency: z.int().min(1).max(64).default(8),
  /** Writes per second this tenant may send to the platform. */
  maxRequestsPerSecond: z.number().positive().max(10_000).default(50),
  /** Members per PATCH of a group. */
  membersPerPatch: z.int().min(1).max(1000).default(100),
});

const safetySchema = z.strictObject({
  maxDeactivations: z.int().min(0).default(500),
  maxDeactivationRatio: z.number().min(0).max(1).default(0.3),
  /** A source whose user count falls below this share of the last complete read is held. */
  minSourceRatio: z.number().min(0).max(1).default(0.5),
  skipOutOfScopeDeletions: z.boolean().default(false),
  deprovision: z.enum(['deactivate', 'delete']).default('deactivate'),
  /** A held run that nobody approves within this many hours expires and is never applied. */
  heldRunExpiryHours: z.number().positive().default(72),
});

const scimPathKey = z.string().min(1);
const mappingSchema = z
  .strictObject({
    /** SCIM attribute path → source attribute name; null removes a default mapping. */
    users: z.record(scimPathKey, z.string().min(1).nullable()).default({}),
  })
  .default({ users: {} });

export const tenantSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must match [a-z0-9-]+'),
  source: sourceSchema,
  target: targetSchema,
  schedule: z
    .strictObject({ incremental: cronExpression.optional(), full: cronExpression.optional() })
    .default({}),
  safety: safetySchema.default(safetySchema.parse({})),
  matching: z
    .array(z.enum(['externalId', 'userName', 'email']))
    .min(1)
    .default(['externalId', 'userName', 'email']),
  mapping: mappingSchema,
});

/** Admin tokens shorter than this are refused: they could be guessed. */
export const MIN_ADMIN_TOKEN_LENGTH = 24;

const apiTokenSchema = z.strictObject({
  /** A name for the token, never the token: it is what the audit log and warnings say acted. */
  label: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_", "@" or "-"')
    .optional(),
  token: secretReference,
  role: z.enum(['operator', 'viewer']),
  tenants: z.array(z.string().min(1)).min(1).default(['*']),
});

const HOST_PORT = /^[^:\s]+:\d{1,5}$/;

/**
 * A production Redis Cluster (ElastiCache, Azure Cache, Memorystore) wants an ACL user and TLS;
 * `ca` is a PEM file, `servername` the name its certificates hold when the nodes answer by address.
 */
const redisClusterSchema = z.strictObject({
  nodes: z.array(z.string().regex(HOST_PORT, 'must be host:port, e.g. 10.0.0.5:6379')).min(1),
  username: z.string().min(1).optional(),
  password: secretReference.optional(),
  tls: z
    .strictObject({
      ca: z.string().min(1).optional(),
      servername: z.string().min(1).optional(),
      rejectUnauthorized: z.boolean().default(true),
    })
    .optional(),
});

/** One Redis server by URL, or the seed nodes of a Redis Cluster (any few of its nodes): not both. */
const redisSchema = z
  .strictObject({
    url: z.string().min(1).optional(),
    cluster: redisClusterSchema.optional(),
  })
  .refine((redis) => !(redis.url && redis.cluster), 'set either url or cluster, not both');

export const configSchema = z
  .strictObject({
    redis: redisSchema.default({}),
    api: z
      .strictObject({
        listen: z
          .string()
          .regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8080')
          .default('127.0.0.1:8080'),
        tokens: z.array(apiTokenSchema).default([]),
        /**
         * The proxies in front of the API whose X-Forwarded-For / -Proto to believe (addresses or
         * CIDRs, or true for any); without it the client is the peer of the TCP connection.
         */
        trustProxy: z.union([z.boolean(), z.array(z.string().min(1)).min(1)]).default(false),
      })
      .default({ listen: '127.0.0.1:8080', tokens: [], trustProxy: false }),
    tenants: z.array(tenantSchema).default([]),
  })
  .superRefine((config, context) => {
    const labels = new Set<string>();
    config.api.tokens.forEach((token, index) => {
      if (token.label === undefined) return;
      if (labels.has(token.label)) {
        context.addIssue({
          code: 'custom',
          path: ['api', 'tokens', index, 'label'],
          message: `duplicate token label "${token.label}"`,
        });
      }
      labels.add(token.label);
    });
    const seen = new Set<string>();
    config.tenants.forEach((tenant, index) => {
      if (seen.has(tenant.id)) {
        context.addIssue({
          code: 'custom',
          path: ['tenants', index, 'id'],
          message: `duplicate tenant id "${tenant.id}"`,
        });
      }
      seen.add(tenant.id);
    });
  });

export type RawConfig = z.infer<typeof configSchema>;
export type RawTenant = z.infer<typeof tenantSchema>;
export type RawSource = z.infer<typeof sourceSchema>;
