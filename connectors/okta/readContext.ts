import type { Client } from '@okta/okta-sdk-nodejs';
import type { OktaSourceConfig } from '../../src/config/load.js';
import type { DirectoryUser } from '../../src/model/directory.js';
import type { Logger } from '../../src/observability/logger.js';
import { type OktaUserRecord, toDirectoryUser } from './mapping.js';
import type { PacedRequestExecutor } from './throttling.js';

/** What every read of one Okta tenant shares. */
export interface OktaContext {
  readonly client: Client;
  readonly config: OktaSourceConfig;
  readonly executor: PacedRequestExecutor;
  readonly logger: Logger;
  readonly now: () => number;
}

/** The app whose assignments scope the tenant, when its scope mode is `app`. */
export function scopedAppId(config: OktaSourceConfig): string | undefined {
  return config.scope.mode === 'app' ? config.scope.appId : undefined;
}

export function directoryUsers(context: OktaContext, users: readonly OktaUserRecord[]): DirectoryUser[] {
  return users.flatMap((user) => toDirectoryUser(user, context.config.pendingUsers) ?? []);
}
