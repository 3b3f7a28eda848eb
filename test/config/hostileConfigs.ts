import { stringify } from 'yaml';

/**
 * Configurations an operator might really write, each wrong in one way, with the problem line
 * `dirsync check-config` must print for it: the field's path as the operator writes it, then why.
 */
export interface HostileConfig {
  readonly name: string;
  /** The file's text; relative `file:` references resolve from the directory it is written to. */
  readonly text: () => string;
  readonly env?: Readonly<Record<string, string>>;
  readonly path: string;
  readonly reason: RegExp;
}

/** Environment every case gets: the references of the valid config resolve. */
export const VALID_ENV: Readonly<Record<string, string>> = {
  HOSTILE_ADMIN_TOKEN: 'admin-token-for-check-config',
  HOSTILE_SCIM_TOKEN: 'scim-token-for-check-config',
  HOSTILE_GRAPH_SECRET: 'graph-secret-for-check-config',
  HOSTILE_OKTA_TOKEN: 'okta-token-for-check-config',
};

type Json = Record<string, unknown>;

/** Three tenants, one per source type, with every section an operator is likely to fill in. */
export function validConfig(): Json {
  const target = { url: 'https://platform.example.com/scim/v2', token: 'env:HOSTILE_SCIM_TOKEN' };
  return {
    redis: { url: 'redis://127.0.0.1:6379' },
    api: {
      listen: '127.0.0.1:8080',
      tokens: [{ token: 'env:HOSTILE_ADMIN_TOKEN', role: 'operator', tenants: ['*'] }],
    },
    tenants: [
      {
        id: 'hr-export',
        source: {
          type: 'file',
          path: './directory.json',
          filters: [{ attribute: 'department', op: 'in', value: ['Sales', 'Support'] }],
        },
        target: { ...target },
        schedule: { incremental: '*/40 * * * *', full: '0 3 * * *' },
        safety: { maxDeactivations: 50, maxDeactivationRatio: 0.3, deprovision: 'deactivate' },
        matching: ['externalId', 'userName', 'email'],
      },
      {
        id: 'contoso',
        source: {
          type: 'graph',
          tenantId: '11111111-2222-3333-4444-555555555555',
          clientId: '66666666-7777-8888-9999-000000000000',
          clientSecret: 'env:HOSTILE_GRAPH_SECRET',
          scope: { mode: 'assigned', servicePrincipalId: 'sp-1' },
        },
        target: { ...target },
      },
      {
        id: 'acme',
        source: {
          type: 'okta',
          orgUrl: 'https://acme.okta.com',
          token: 'env:HOSTILE_OKTA_TOKEN',
          scope: { mode: 'app', appId: '0oa1bcd2efGHIJKLM345' },
        },
        target: { ...target },
      },
    ],
  };
}

/** The valid config with one change made by `edit`, as YAML. */
function edited(edit: (config: Json) => void): () => string {
  return () => {
    const config = validConfig();
    edit(config);
    return stringify(config);
  };
}

/** Tenant `index` of a config being edited. */
function tenant(config: Json, index: number): Json {
  const found = (config.tenants as Json[])[index];
  if (!found) throw new Error(`the valid config has no tenants[${index}]`);
  return found;
}

function section(config: Json, index: number, name: 'source' | 'target' | 'safety'): Json {
  const owner = tenant(config, index);
  owner[name] ??= {};
  return owner[name] as Json;
}

export const HOSTILE_CONFIGS: readonly HostileConfig[] = [
  {
    name: 'YAML syntax error (an unclosed flow mapping)',
    text: () => 'redis: { url: redis://127.0.0.1:6379\ntenants: []\n',
    path: '(yaml) line 2',
    reason: /flow|collection|expected/i,
  },
  {
    name: 'YAML duplicate key',
    text: () => `${stringify(validConfig())}redis: { url: redis://127.0.0.1:6380 }\n`,
    // The repeated key is on the line after the valid config's last one.
    path: `(yaml) line ${stringify(validConfig()).split('\n').length}`,
    reason: /unique|duplicate/i,
  },
  {
    name: 'unknown key in a target (a typo)',
    text: edited((config) => {
      section(config, 0, 'target').tiemout = 30;
    }),
    path: 'tenants[0].target',
    reason: /unknown field "tiemout"/,
  },
  {
    name: 'unknown top-level key',
    text: edited((config) => {
      config.tenant = [];
    }),
    path: '(root)',
    reason: /unknown field "tenant"/,
  },
  {
    name: 'wrong type: concurrency as words',
    text: edited((config) => {
      section(config, 0, 'target').concurrency = 'eight';
    }),
    path: 'tenants[0].target.concurrency',
    reason: /expected (int|number)/i,
  },
  {
    name: 'wrong type: tenants as a mapping',
    text: edited((config) => {
      config.tenants = { id: 'hr-export' };
    }),
    path: 'tenants',
    reason: /expected array/i,
  },
  {
    name: 'missing target',
    text: edited((config) => {
      delete tenant(config, 1).target;
    }),
    path: 'tenants[1].target',
    reason: /required/,
  },
  {
    name: 'missing secret: its environment variable is not set',
    text: edited((config) => {
      section(config, 1, 'source').clientSecret = 'env:HOSTILE_UNSET_GRAPH_SECRET';
    }),
    path: 'tenants[1].source.clientSecret',
    reason: /environment variable HOSTILE_UNSET_GRAPH_SECRET is not set/,
  },
  {
    name: 'missing secret: its environment variable is empty',
    text: edited(() => {}),
    env: { HOSTILE_SCIM_TOKEN: '' },
    path: 'tenants[0].target.token',
    reason: /environment variable HOSTILE_SCIM_TOKEN is not set/,
  },
  {
    name: 'secret of only whitespace in its environment variable',
    text: edited(() => {}),
    env: { HOSTILE_SCIM_TOKEN: ' \t ' },
    path: 'tenants[0].target.token',
    reason: /the secret \(environment variable HOSTILE_SCIM_TOKEN\) is empty/,
  },
  {
    name: 'admin token shorter than 24 characters',
    text: edited(() => {}),
    env: { HOSTILE_ADMIN_TOKEN: 'short-admin-token' },
    path: 'api.tokens[0].token',
    reason: /at least 24 characters \(this one has 17\)/,
  },
  {
    name: 'two admin tokens with one label',
    text: edited((config) => {
      const tokens = (config.api as Json).tokens as Json[];
      tokens[0]!.label = 'ops';
      tokens.push({ ...tokens[0]!, role: 'viewer' });
    }),
    path: 'api.tokens[1].label',
    reason: /duplicate token label "ops"/,
  },
  {
    name: 'inline secret on a target',
    text: edited((config) => {
      section(config, 2, 'target').token = 'sk-live-inline-0123456789';
    }),
    path: 'tenants[2].target.token',
    reason: /must be a reference, env:NAME or file:PATH/,
  },
  {
    name: 'inline secret as an admin API token',
    text: edited((config) => {
      ((config.api as Json).tokens as Json[])[0]!.token = 'admin-inline-0123456789';
    }),
    path: 'api.tokens[0].token',
    reason: /must be a reference/,
  },
  {
    name: 'target URL that is not a URL',
    text: edited((config) => {
      section(config, 0, 'target').url = 'platform.example.com/scim/v2';
    }),
    path: 'tenants[0].target.url',
    reason: /must be a URL/,
  },
  {
    name: 'plain http:// target',
    text: edited((config) => {
      section(config, 1, 'target').url = 'http://platform.example.com/scim/v2';
    }),
    path: 'tenants[1].target.url',
    reason: /must be an https:\/\/ URL/,
  },
  {
    name: 'plain http:// Graph base URL',
    text: edited((config) => {
      section(config, 1, 'source').graphBaseUrl = 'http://localhost:8443/v1.0';
    }),
    path: 'tenants[1].source.graphBaseUrl',
    reason: /must be an https:\/\/ URL/,
  },
  {
    name: 'cron expression in words',
    text: edited((config) => {
      tenant(config, 0).schedule = { full: 'every night at 3' };
    }),
    path: 'tenants[0].schedule.full',
    reason: /must be a cron expression/,
  },
  {
    name: 'cron expression with too few fields',
    text: edited((config) => {
      tenant(config, 0).schedule = { incremental: '*/40 * *' };
    }),
    path: 'tenants[0].schedule.incremental',
    reason: /must be a cron expression/,
  },
  {
    name: 'duplicate tenant ids',
    text: edited((config) => {
      tenant(config, 2).id = 'contoso';
    }),
    path: 'tenants[2].id',
    reason: /duplicate tenant id "contoso"/,
  },
  {
    name: 'tenant id with capitals and underscore',
    text: edited((config) => {
      tenant(config, 1).id = 'Contoso_EU';
    }),
    path: 'tenants[1].id',
    reason: /must match \[a-z0-9-\]\+/,
  },
  {
    name: 'unknown source type',
    text: edited((config) => {
      tenant(config, 0).source = { type: 'ldap', url: 'ldaps://dc.example.com' };
    }),
    path: 'tenants[0].source.type',
    reason: /must be one of graph, okta, file/,
  },
  {
    name: 'CSV delimiter no export uses',
    text: edited((config) => {
      section(config, 0, 'source').delimiter = '|';
    }),
    path: 'tenants[0].source.delimiter',
    reason: /must be one of/,
  },
  {
    name: 'graph source without credentials',
    text: edited((config) => {
      delete section(config, 1, 'source').clientSecret;
    }),
    path: 'tenants[1].source.clientSecret',
    reason: /exactly one of clientSecret or certificatePath/,
  },
  {
    name: 'graph source with both a secret and a certificate',
    text: edited((config) => {
      section(config, 1, 'source').certificatePath = 'file:./contoso.pem';
    }),
    path: 'tenants[1].source.clientSecret',
    reason: /exactly one of clientSecret or certificatePath/,
  },
  {
    name: 'okta source with both a token and a private key',
    text: edited((config) => {
      Object.assign(section(config, 2, 'source'), {
        clientId: '0oa-service',
        privateKey: 'env:HOSTILE_OKTA_TOKEN',
      });
    }),
    path: 'tenants[2].source.token',
    reason: /either token \(SSWS\), or clientId with privateKey \(OAuth service app\), not both/,
  },
  {
    name: 'okta service app with a clientId but no private key',
    text: edited((config) => {
      const source = section(config, 2, 'source');
      delete source.token;
      Object.assign(source, { clientId: '0oa-service' });
    }),
    path: 'tenants[2].source.privateKey',
    reason: /needs both clientId and privateKey/,
  },
  {
    name: 'unset environment variable, referenced without a default',
    text: edited((config) => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the configuration's own ${VAR} syntax
      config.redis = { url: '${HOSTILE_UNSET_REDIS_URL}' };
    }),
    path: 'redis.url',
    reason: /environment variable HOSTILE_UNSET_REDIS_URL is not set/,
  },
  {
    name: 'redis with both a url and a cluster',
    text: edited((config) => {
      config.redis = { url: 'redis://127.0.0.1:6379', cluster: { nodes: ['127.0.0.1:7000'] } };
    }),
    path: 'redis',
    reason: /set either url or cluster, not both/,
  },
  {
    name: 'redis cluster node that is not host:port',
    text: edited((config) => {
      config.redis = { cluster: { nodes: ['127.0.0.1:7000', 'redis://127.0.0.1'] } };
    }),
    path: 'redis.cluster.nodes[1]',
    reason: /must be host:port/,
  },
  {
    name: 'redis cluster node from an unset environment variable',
    text: edited((config) => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the configuration's own ${VAR} syntax
      config.redis = { cluster: { nodes: ['${HOSTILE_UNSET_REDIS_NODE}'] } };
    }),
    path: 'redis.cluster.nodes[0]',
    reason: /environment variable HOSTILE_UNSET_REDIS_NODE is not set/,
  },
  {
    name: 'redis cluster password written inline',
    text: edited((config) => {
      config.redis = { cluster: { nodes: ['127.0.0.1:7000'], password: 'hunter2-inline' } };
    }),
    path: 'redis.cluster.password',
    reason: /must be a reference, env:NAME or file:PATH \(inline secrets are refused\)/,
  },
  {
    name: 'redis cluster password from an unset environment variable',
    text: edited((config) => {
      config.redis = { cluster: { nodes: ['127.0.0.1:7000'], password: 'env:HOSTILE_UNSET_REDIS_PASSWORD' } };
    }),
    path: 'redis.cluster.password',
    reason: /environment variable HOSTILE_UNSET_REDIS_PASSWORD is not set/,
  },
  {
    name: 'redis cluster CA file that does not exist',
    text: edited((config) => {
      config.redis = { cluster: { nodes: ['127.0.0.1:7000'], tls: { ca: './secrets/missing-ca.pem' } } };
    }),
    path: 'redis.cluster.tls.ca',
    reason: /cannot read .*missing-ca\.pem \(ENOENT\)/,
  },
  {
    name: 'file: secret that does not exist',
    text: edited((config) => {
      section(config, 0, 'target').token = 'file:./secrets/missing-token';
    }),
    path: 'tenants[0].target.token',
    reason: /cannot read .*missing-token \(ENOENT\)/,
  },
  {
    name: 'file: secret that is a directory',
    text: edited((config) => {
      section(config, 1, 'source').clientSecret = 'file:./';
    }),
    path: 'tenants[1].source.clientSecret',
    reason: /cannot read .* \(EISDIR\)/,
  },
  {
    name: 'caFile that cannot be read',
    text: edited((config) => {
      section(config, 2, 'target').caFile = 'file:./no-such-ca.pem';
    }),
    path: 'tenants[2].target.caFile',
    reason: /cannot read .*no-such-ca\.pem \(ENOENT\)/,
  },
  {
    name: 'scope mode the graph source does not have (okta app)',
    text: edited((config) => {
      section(config, 1, 'source').scope = { mode: 'app', appId: '0oa1' };
    }),
    path: 'tenants[1].source.scope.mode',
    reason: /not a mode this source supports/,
  },
  {
    name: 'scope mode the file source does not have (assigned)',
    text: edited((config) => {
      section(config, 0, 'source').scope = { mode: 'assigned', servicePrincipalId: 'sp-1' };
    }),
    path: 'tenants[0].source.scope.mode',
    reason: /not a mode this source supports/,
  },
  {
    name: 'groups scope with no group',
    text: edited((config) => {
      section(config, 2, 'source').scope = { mode: 'groups', groups: [] };
    }),
    path: 'tenants[2].source.scope.groups',
    reason: /list at least one group/,
  },
  {
    name: 'filter with an operator that does not exist',
    text: edited((config) => {
      section(config, 0, 'source').filters = [{ attribute: 'department', op: 'like', value: 'Sales%' }];
    }),
    path: 'tenants[0].source.filters[0].op',
    reason: /expected one of/i,
  },
  {
    name: 'negative maxDeactivations',
    text: edited((config) => {
      section(config, 0, 'safety').maxDeactivations = -5;
    }),
    path: 'tenants[0].safety.maxDeactivations',
    reason: />=\s*0/,
  },
  {
    name: 'maxDeactivationRatio above 1',
    text: edited((config) => {
      section(config, 0, 'safety').maxDeactivationRatio = 1.5;
    }),
    path: 'tenants[0].safety.maxDeactivationRatio',
    reason: /<=\s*1/,
  },
  {
    name: 'deprovision mode that does not exist',
    text: edited((config) => {
      section(config, 0, 'safety').deprovision = 'purge';
    }),
    path: 'tenants[0].safety.deprovision',
    reason: /expected one of "deactivate"\|"delete"/,
  },
  {
    name: 'matching by an attribute dirsync cannot match on',
    text: edited((config) => {
      tenant(config, 0).matching = ['employeeId'];
    }),
    path: 'tenants[0].matching[0]',
    reason: /expected one of/i,
  },
  {
    name: 'admin token with a role that does not exist',
    text: edited((config) => {
      ((config.api as Json).tokens as Json[])[0]!.role = 'admin';
    }),
    path: 'api.tokens[0].role',
    reason: /expected one of "operator"\|"viewer"/,
  },
  {
    name: 'API listen address without a port',
    text: edited((config) => {
      (config.api as Json).listen = 'localhost';
    }),
    path: 'api.listen',
    reason: /must be host:port/,
  },
];
