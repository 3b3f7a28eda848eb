import type { OktaSourceConfig } from '../../src/config/load.js';
import type { CallCounter, Source } from '../../src/model/source.js';
import type { Logger } from '../../src/observability/logger.js';
import { withSourceErrors } from '../shared/sourceErrors.js';
import { createOktaClient } from './client.js';
import { oktaFailureClass, oktaSourceError } from './errors.js';
import { readFullDirectory } from './fullRead.js';
import { readDirectoryChanges } from './incrementalRead.js';
import { lookupSubjects } from './lookup.js';
import type { OktaContext } from './readContext.js';
import { suggestSubjects } from './suggest.js';
import { testOktaConnection } from './testConnection.js';
import { PacedRequestExecutor } from './throttling.js';

export interface SourceClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface OktaSourceDeps {
  readonly counter: CallCounter;
  readonly logger: Logger;
  /** How time passes for rate-limit waits; tests pass the emulator's clock instead of sleeping. */
  readonly clock?: SourceClock;
}

/** The Okta directory of one tenant, read through the official SDK. */
export function createOktaSource(config: OktaSourceConfig, deps: OktaSourceDeps): Source {
  const logger = deps.logger.child({ source: 'okta' });
  const executor = new PacedRequestExecutor({
    counter: deps.counter,
    logger,
    ...(deps.clock ? { sleep: deps.clock.sleep, now: deps.clock.now } : {}),
  });
  const context: OktaContext = {
    client: createOktaClient(config, executor),
    config,
    executor,
    logger,
    now: deps.clock?.now ?? Date.now,
  };
  return withSourceErrors(
    {
      readFull: () => readFullDirectory(context),
      readChanges: (cursor) => readDirectoryChanges(context, cursor),
      lookup: (subjects) => lookupSubjects(context, subjects),
      suggest: (kind, text, limit) => suggestSubjects(context, kind, text, limit),
      testConnection: () => testOktaConnection(context),
    },
    oktaFailureClass,
    oktaSourceError,
  );
}
