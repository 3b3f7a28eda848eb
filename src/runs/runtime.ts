import { createSource, defaultUserMapping } from '../../connectors/index.js';
import type { TenantConfig } from '../config/load.js';
import type { EngineSettings } from '../engine/index.js';
import type { Platform } from '../model/platform.js';
import type { CallCounter, Source } from '../model/source.js';
import type { Logger } from '../observability/logger.js';
import { ScimPlatform } from '../platform/client.js';

/** One tenant's configuration turned into what a run needs: settings and the two clients. */
export interface TenantRuntime {
  readonly config: TenantConfig;
  readonly settings: EngineSettings;
  readonly mappedPaths: readonly string[];
  source(counter: CallCounter): Promise<Source>;
  platform(counter: CallCounter): Platform;
  /** Frees the platform connections. */
  close(): void;
}

export function createTenantRuntime(config: TenantConfig, logger: Logger): TenantRuntime {
  const settings = engineSettingsFor(config);
  const tenantLogger = logger.child({ tenant: config.id });
  // One connection pool per tenant and process, shared by its runs and op jobs.
  let sharedPlatform: ScimPlatform | undefined;
  return {
    config,
    settings,
    mappedPaths: Object.keys(settings.userMapping),
    source: (counter) =>
      createSource(config.source, {
        counter,
        logger: tenantLogger,
        mappedAttributes: Object.values(settings.userMapping),
      }),
    platform: (counter) => {
      sharedPlatform ??= new ScimPlatform({
        baseUrl: config.target.url,
        token: config.target.token,
        ...(config.target.ca ? { ca: config.target.ca } : {}),
        concurrency: config.target.concurrency,
        membersPerPatch: config.target.membersPerPatch,
        logger: tenantLogger,
      });
      return sharedPlatform.withCounter(counter);
    },
    close: () => sharedPlatform?.close(),
  };
}

/** The engine's view of a tenant: every source's scope modes in the engine's terms, the merged mapping. */
export function engineSettingsFor(config: TenantConfig): EngineSettings {
  const userMapping: Record<string, string> = { ...defaultUserMapping(config.source.type) };
  for (const [path, attribute] of Object.entries(config.mapping.users)) {
    if (attribute === null) delete userMapping[path];
    else userMapping[path] = attribute;
  }
  const scope = config.source.scope;
  return {
    scope:
      scope.mode === 'groups'
        ? { mode: 'groups', groups: scope.groups }
        : scope.mode === 'all'
          ? { mode: 'all' }
          : { mode: 'assigned' },
    filters: config.source.filters,
    userMapping,
    matching: config.matching,
    deprovision: config.safety.deprovision,
    skipOutOfScopeDeletions: config.safety.skipOutOfScopeDeletions,
    membersPerPatch: config.target.membersPerPatch,
  };
}
