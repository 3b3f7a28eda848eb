import type { GraphSourceConfig } from '../../src/config/load.js';
import type { Logger } from '../../src/observability/logger.js';
import type { GraphHttp } from './client.js';

/** What every read of the Graph source shares. */
export interface GraphReadContext {
  readonly config: GraphSourceConfig;
  readonly http: GraphHttp;
  /** The user properties to `$select` everywhere users are read. */
  readonly userSelect: readonly string[];
  readonly logger: Logger;
}

/** Groups read in parallel when their members are listed. */
export const MEMBER_READ_CONCURRENCY = 8;

export const PAGE_SIZE = 999;

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entra object ids are GUIDs; anything else is a name (UPN, mail, display name). */
export function isObjectId(reference: string): boolean {
  return OBJECT_ID.test(reference);
}
