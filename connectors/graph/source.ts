import type { GraphSourceConfig } from '../../src/config/load.js';
import { failureWithoutAnswer } from '../../src/http/failureWithoutAnswer.js';
import type { CallCounter, Source } from '../../src/model/source.js';
import type { Logger } from '../../src/observability/logger.js';
import { withSourceErrors } from '../shared/sourceErrors.js';
import { GraphHttp } from './client.js';
import { createGraphCredential, graphTokenScope } from './credential.js';
import { readFullDirectory } from './fullRead.js';
import { readDirectoryChanges } from './incrementalRead.js';
import { lookupSubjects } from './lookup.js';
import { userProperties } from './mapping.js';
import type { GraphReadContext } from './readContext.js';
import { suggestSubjects } from './suggest.js';
import { testGraphConnection } from './testConnection.js';

export interface GraphSourceDependencies {
  readonly counter: CallCounter;
  readonly logger: Logger;
  /**
   * Graph user properties to read besides the default mapping's, e.g. those of the tenant's
   * mapping overrides. Properties named by `config.filters` are read anyway.
   */
  readonly extraUserProperties?: readonly string[];
}

/** Microsoft Graph (Entra ID) as a dirsync source: app-only sign-in, full reads, delta, lookups. */
export function createGraphSource(config: GraphSourceConfig, deps: GraphSourceDependencies): Source {
  const credential = createGraphCredential(config, deps.counter);
  const scope = graphTokenScope(config);
  const context: GraphReadContext = {
    config,
    http: new GraphHttp({ graphBaseUrl: config.graphBaseUrl, credential, scope, counter: deps.counter }),
    userSelect: userProperties([
      ...(deps.extraUserProperties ?? []),
      ...config.filters.map((filter) => filter.attribute),
    ]),
    logger: deps.logger,
  };
  return withSourceErrors(
    {
      readFull: () => readFullDirectory(context),
      readChanges: (cursor, records) => readDirectoryChanges(context, cursor, records),
      lookup: (subjects) => lookupSubjects(context, subjects),
      suggest: (kind, text, limit) => suggestSubjects(context, kind, text, limit),
      testConnection: () => testGraphConnection(context, credential, scope),
    },
    failureWithoutAnswer,
  );
}
