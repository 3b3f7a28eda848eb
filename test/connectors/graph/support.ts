import { createGraphSource } from '../../../connectors/graph/source.js';
import type { GraphSourceConfig } from '../../../src/config/load.js';
import { Secret } from '../../../src/config/secret.js';
import type { CallCounter } from '../../../src/model/source.js';
import { silentLogger } from '../../../src/observability/logger.js';
import {
  type GraphEmulator,
  type GraphEmulatorOptions,
  startGraphEmulator,
} from '../../emulators/graph/server.js';
import { ensureDevCertificates } from '../../support/devCertificates.js';

export const TENANT_ID = '11111111-2222-3333-4444-555555555555';
export const CLIENT_ID = '66666666-7777-8888-9999-000000000000';
export const CLIENT_SECRET = 'emulated-client-secret';

export function testCertificates(): ReturnType<typeof ensureDevCertificates> {
  const directory = process.env.DIRSYNC_TEST_TLS_DIR;
  if (!directory)
    throw new Error('DIRSYNC_TEST_TLS_DIR is not set: run through vitest with the global setup');
  return ensureDevCertificates(directory);
}

export function startTestEmulator(
  options: Omit<GraphEmulatorOptions, 'certificates' | 'tenantId' | 'clientId'> = {},
): Promise<GraphEmulator> {
  return startGraphEmulator({
    certificates: testCertificates(),
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...options,
  });
}

export function graphConfig(
  emulator: GraphEmulator,
  overrides: Partial<GraphSourceConfig> = {},
): GraphSourceConfig {
  return {
    type: 'graph',
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    clientSecret: new Secret(CLIENT_SECRET, 'env:TEST_GRAPH_SECRET'),
    scope: { mode: 'all' },
    filters: [],
    graphBaseUrl: emulator.graphBaseUrl,
    authorityHost: emulator.authorityHost,
    ...overrides,
  };
}

export interface RecordingCounter extends CallCounter {
  readonly calls: number;
  readonly throttles: number;
}

export function recordingCounter(): RecordingCounter {
  const counts = { calls: 0, throttles: 0 };
  return {
    get calls() {
      return counts.calls;
    },
    get throttles() {
      return counts.throttles;
    },
    call: () => {
      counts.calls++;
    },
    throttled: () => {
      counts.throttles++;
    },
  };
}

export function testSource(
  emulator: GraphEmulator,
  overrides: Partial<GraphSourceConfig> = {},
  counter: CallCounter = recordingCounter(),
) {
  return createGraphSource(graphConfig(emulator, overrides), { counter, logger: silentLogger() });
}

/** The Graph paths the emulator served since its call log was last reset, in order. */
export function servedPaths(emulator: GraphEmulator): string[] {
  return emulator.server.calls.map((call) => call.path);
}

/** Seeded draws for the emulator's fault injection, so a storm is the same storm on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}
