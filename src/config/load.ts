import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, formatPath } from './errors.js';
import {
  configSchema,
  MIN_ADMIN_TOKEN_LENGTH,
  type RawConfig,
  type RawSource,
  type RawTenant,
} from './schema.js';
import { Secret } from './secret.js';

type GraphRaw = Extract<RawSource, { type: 'graph' }>;
type OktaRaw = Extract<RawSource, { type: 'okta' }>;
type FileRaw = Extract<RawSource, { type: 'file' }>;

export type GraphSourceConfig = Omit<GraphRaw, 'clientSecret' | 'certificatePath'> & {
  readonly clientSecret?: Secret;
  /** PEM text holding the certificate and its private key. */
  readonly certificate?: Secret;
};
export type OktaSourceConfig = Omit<OktaRaw, 'token' | 'privateKey'> & {
  readonly token?: Secret;
  readonly privateKey?: Secret;
};
export type FileSourceConfig = FileRaw;
export type SourceConfig = GraphSourceConfig | OktaSourceConfig | FileSourceConfig;

export type TargetConfig = Omit<RawTenant['target'], 'token' | 'caFile'> & {
  readonly token: Secret;
  /** PEM text of extra CAs to trust for this platform. */
  readonly ca?: string;
};

export type TenantConfig = Omit<RawTenant, 'source' | 'target'> & {
  readonly source: SourceConfig;
  readonly target: TargetConfig;
};

export interface ApiToken {
  /** The configured label, or `token-<index>` when none is given: never secret. */
  readonly label: string;
  readonly token: Secret;
  readonly role: 'operator' | 'viewer';
  readonly tenants: readonly string[];
}

/** The seed nodes of a Redis Cluster and what its nodes ask of a client. */
export interface RedisClusterConfig {
  readonly nodes: readonly string[];
  /** The ACL user; without it, the default user. */
  readonly username?: string;
  readonly password?: Secret;
  readonly tls?: {
    /** PEM text of the CAs to trust for the nodes' certificates. */
    readonly ca?: string;
    /** The name the nodes' certificates hold, checked in place of the address a node answers on. */
    readonly servername?: string;
    readonly rejectUnauthorized: boolean;
  };
}

export interface Config {
  readonly redis: { readonly url?: string; readonly cluster?: RedisClusterConfig };
  readonly api: {
    readonly listen: string;
    readonly tokens: readonly ApiToken[];
    readonly trustProxy: boolean | readonly string[];
  };
  readonly tenants: readonly TenantConfig[];
  /** Where relative paths in the file were resolved from. */
  readonly baseDir: string;
}

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Only the demo may carry secrets inline in its own generated config. */
  readonly allowInlineSecrets?: boolean;
}

export function loadConfigFile(path: string, options: LoadOptions = {}): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `${path}: cannot read the configuration file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
  return parseConfig(text, dirname(resolve(path)), options);
}

export function parseConfig(text: string, baseDir: string, options: LoadOptions = {}): Config {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map(
        (error) =>
          `(yaml) line ${error.linePos?.[0]?.line ?? '?'}: ${(error.message.split('\n')[0] ?? '').replace(/:\s*$/, '')}`,
      ),
    );
  }
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const expanded = expandVariables(document.toJS() ?? {}, [], env, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const parsed = configSchema.safeParse(expanded);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues));

  const resolver = new SecretResolver(baseDir, env, options.allowInlineSecrets ?? false);
  const config = resolveConfig(parsed.data, resolver, baseDir);
  if (resolver.problems.length > 0) throw new ConfigError(resolver.problems);
  return config;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${formatPath(issue.path)}: unknown field ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    }
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
      return `${formatPath(issue.path)}: required`;
    }
    if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
      const field = issue.path.at(-1);
      return field === 'type'
        ? `${formatPath(issue.path)}: must be one of graph, okta, file`
        : `${formatPath(issue.path)}: not a ${String(field)} this source supports`;
    }
    return `${formatPath(issue.path)}: ${issue.message}`;
  });
}

/**
 * `${VAR}` in any string value is read from the environment, `${VAR:-default}` falls back to the
 * default; an unset variable without one is an error at its path.
 */
function expandVariables(
  value: unknown,
  path: PropertyKey[],
  env: NodeJS.ProcessEnv,
  problems: string[],
): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_match, name: string, fallback?: string) => {
        const found = env[name] || fallback;
        if (found === undefined)
          problems.push(`${formatPath(path)}: environment variable ${name} is not set`);
        return found ?? '';
      },
    );
  }
  if (Array.isArray(value))
    return value.map((item, index) => expandVariables(item, [...path, index], env, problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expandVariables(item, [...path, key], env, problems)]),
    );
  }
  return value;
}

class SecretResolver {
  readonly problems: string[] = [];

  constructor(
    private readonly baseDir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly allowInline: boolean,
  ) {}

  /** A secret that is empty or only whitespace is refused: an empty admin token would match `curl -u 'x:'`. */
  secret(reference: string, path: PropertyKey[]): Secret {
    const secret = this.#read(reference, path);
    if (!secret) return new Secret('', reference);
    if (secret.reveal().trim() === '') {
      this.problems.push(`${formatPath(path)}: the secret ${describeReference(reference)} is empty`);
    }
    return secret;
  }

  adminToken(reference: string, path: PropertyKey[]): Secret {
    const secret = this.secret(reference, path);
    const length = secret.reveal().length;
    if (length > 0 && length < MIN_ADMIN_TOKEN_LENGTH) {
      this.problems.push(
        `${formatPath(path)}: an admin token needs at least ${MIN_ADMIN_TOKEN_LENGTH} characters (this one has ${length})`,
      );
    }
    return secret;
  }

  /** The secret, or nothing when the reference itself is the problem (already reported). */
  #read(reference: string, path: PropertyKey[]): Secret | undefined {
    const where = formatPath(path);
    if (reference.startsWith('env:')) {
      const name = reference.slice(4);
      const value = this.env[name];
      if (value === undefined || value === '') {
        this.problems.push(`${where}: environment variable ${name} is not set`);
        return undefined;
      }
      return new Secret(value, reference);
    }
    if (reference.startsWith('file:')) {
      const file = this.path(reference.slice(5));
      try {
        return new Secret(readFileSync(file, 'utf8').trim(), reference);
      } catch (error) {
        this.problems.push(
          `${where}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        );
        return undefined;
      }
    }
    if (!this.allowInline) {
      this.problems.push(`${where}: must be a reference, env:NAME or file:PATH (inline secrets are refused)`);
      return undefined;
    }
    return new Secret(reference, 'inline');
  }

  file(reference: string, path: PropertyKey[]): string {
    const file = this.path(reference.replace(/^file:/, ''));
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      this.problems.push(
        `${formatPath(path)}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      return '';
    }
  }

  path(file: string): string {
    return resolve(this.baseDir, file);
  }
}

function describeReference(reference: string): string {
  if (reference.startsWith('env:')) return `(environment variable ${reference.slice(4)})`;
  if (reference.startsWith('file:')) return `(file ${reference.slice(5)})`;
  return '(inline)';
}

function resolveConfig(raw: RawConfig, secrets: SecretResolver, baseDir: string): Config {
  return {
    baseDir,
    redis: resolveRedis(raw.redis, secrets),
    api: {
      listen: raw.api.listen,
      trustProxy: raw.api.trustProxy,
      tokens: raw.api.tokens.map((entry, index) => ({
        ...entry,
        label: entry.label ?? `token-${index}`,
        token: secrets.adminToken(entry.token, ['api', 'tokens', index, 'token']),
      })),
    },
    tenants: raw.tenants.map((tenant, index) => resolveTenant(tenant, ['tenants', index], secrets)),
  };
}

function resolveRedis(redis: RawConfig['redis'], secrets: SecretResolver): Config['redis'] {
  const { url, cluster: raw } = redis;
  if (!raw) return url === undefined ? {} : { url };
  const { password, tls, ...cluster } = raw;
  const at = ['redis', 'cluster'];
  let trust: RedisClusterConfig['tls'];
  if (tls) {
    const { ca, ...rest } = tls;
    trust = { ...rest, ...(ca ? { ca: secrets.file(ca, [...at, 'tls', 'ca']) } : {}) };
  }
  return {
    ...(url === undefined ? {} : { url }),
    cluster: {
      ...cluster,
      ...(password ? { password: secrets.secret(password, [...at, 'password']) } : {}),
      ...(trust ? { tls: trust } : {}),
    },
  };
}

function resolveTenant(tenant: RawTenant, at: PropertyKey[], secrets: SecretResolver): TenantConfig {
  const { token, caFile, ...target } = tenant.target;
  return {
    ...tenant,
    source: resolveSource(tenant.source, [...at, 'source'], secrets),
    target: {
      ...target,
      token: secrets.secret(token, [...at, 'target', 'token']),
      ...(caFile ? { ca: secrets.file(caFile, [...at, 'target', 'caFile']) } : {}),
    },
  };
}

function resolveSource(source: RawSource, at: PropertyKey[], secrets: SecretResolver): SourceConfig {
  switch (source.type) {
    case 'graph': {
      const { clientSecret, certificatePath, ...rest } = source;
      return {
        ...rest,
        ...(clientSecret ? { clientSecret: secrets.secret(clientSecret, [...at, 'clientSecret']) } : {}),
        ...(certificatePath
          ? { certificate: secrets.secret(certificatePath, [...at, 'certificatePath']) }
          : {}),
      };
    }
    case 'okta': {
      const { token, privateKey, ...rest } = source;
      return {
        ...rest,
        ...(token ? { token: secrets.secret(token, [...at, 'token']) } : {}),
        ...(privateKey ? { privateKey: secrets.secret(privateKey, [...at, 'privateKey']) } : {}),
      };
    }
    case 'file':
      return { ...source, path: secrets.path(source.path) };
  }
}

export function findTenant(config: Config, tenantId: string): TenantConfig | undefined {
  return config.tenants.find((tenant) => tenant.id === tenantId);
}
