import type { SourceConfig } from '../src/config/load.js';
import type { ScimPath } from '../src/model/scim.js';
import type { CallCounter, Source } from '../src/model/source.js';
import type { Logger } from '../src/observability/logger.js';
import { fileUserMapping } from './file/mapping.js';
import { graphUserMapping } from './graph/mapping.js';
import { oktaUserMapping } from './okta/mapping.js';

export interface SourceDependencies {
  readonly counter: CallCounter;
  readonly logger: Logger;
  /**
   * The source attributes the tenant's user mapping reads, overrides included: a source that
   * reads only the properties it names (Graph's `$select`) must name these too.
   */
  readonly mappedAttributes?: readonly string[];
}

/**
 * The one place that knows which connector serves which `source.type`. Connectors load on first
 * use: the vendor SDKs take seconds to import, which no command that does not read them should pay.
 */
export async function createSource(config: SourceConfig, deps: SourceDependencies): Promise<Source> {
  switch (config.type) {
    case 'file':
      return (await import('./file/source.js')).createFileSource(config);
    case 'graph':
      return (await import('./graph/source.js')).createGraphSource(config, {
        counter: deps.counter,
        logger: deps.logger,
        extraUserProperties: deps.mappedAttributes ?? [],
      });
    case 'okta':
      return (await import('./okta/source.js')).createOktaSource(config, deps);
  }
}

/** The default attribute mapping for a source type (README, "Default mapping"): SCIM path → source attribute name. */
export function defaultUserMapping(type: SourceConfig['type']): Readonly<Record<ScimPath, string>> {
  switch (type) {
    case 'file':
      return fileUserMapping;
    case 'graph':
      return graphUserMapping;
    case 'okta':
      return oktaUserMapping;
  }
}
