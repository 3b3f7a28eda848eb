import type { GraphDirectorySpec } from '../emulators/graph/generator.js';
import type { CallRecord } from '../emulators/https/httpsServer.js';

/**
 * The emulators of the HTTP benchmarks run in a worker thread or a process of their own: on the
 * client's thread their CPU would be billed to the sync being measured (and to its floor) and
 * squeeze the ratio towards 1.
 */
export interface EmulatorWorkerData {
  readonly tlsDir: string;
  readonly directory: GraphDirectorySpec;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly servicePrincipalId: string;
  readonly scimToken: string;
}

export interface EmulatorAddresses {
  readonly graphBaseUrl: string;
  readonly authorityHost: string;
  readonly scimUrl: string;
}

export interface ServedCalls {
  readonly graph: readonly CallRecord[];
  /** The requests Graph served inside `$batch` requests (each batch is one call in `graph`). */
  readonly graphBatched: readonly CallRecord[];
  readonly scim: readonly CallRecord[];
}

/** The changes made in Entra; each should cost the platform one write. */
export interface AppliedChange {
  readonly kind: 'title' | 'disable' | 'newHire' | 'join' | 'rename';
  /** The user or group changed. */
  readonly subject: string;
}

export type EmulatorCommand =
  | { readonly type: 'calls' }
  | { readonly type: 'resetCalls' }
  /** Empties the platform and forgets both call logs, for a second initial sync. */
  | { readonly type: 'clearPlatform' }
  | { readonly type: 'change'; readonly count: number }
  /** The Entra directory's size now (`DirectoryCounts`). */
  | { readonly type: 'counts' }
  | { readonly type: 'close' };

export interface EmulatorRequest {
  readonly id: number;
  readonly command: EmulatorCommand;
}

export type EmulatorReply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: string };
