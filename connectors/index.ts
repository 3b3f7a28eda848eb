import type { SourceConfig } from '../src/config/load.js';
import type { Logger } from '../src/observability/logger.js';
import type { ScimPath } from '../src/model/scim.js';
import type { CallCounter, Source } from '../src/model/source.js';
import { fileUserMapping } from './file/mapping.js';
import { createFileSource } from './file/source.js';
import { graphUserMapping } from './graph/mapping.js';
import { createGraphSource } from './graph/source.js';
import { oktaUserMapping } from './okta/mapping.js';
import { createOktaSource } from './okta/source.js';

export interface SourceDependencies {
  readonly counter: CallCounter;
  readonly logger: Logger;
}

/** The one place that knows which connector serves which `source.type`. */
export function createSource(config: SourceConfig, deps: SourceDependencies): Source {
  switch (config.type) {
    case 'file':
      return createFileSource(config);
    case 'graph':
      return createGraphSource(config, deps);
    case 'okta':
      return createOktaSource(config, deps);
  }
}

/** SPEC §5's default attribute mapping for a source type: SCIM path → source attribute name. */
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
