import { createOktaSource, type SourceClock } from '../../../connectors/okta/source.js';
import type { OktaSourceConfig } from '../../../src/config/load.js';
import { Secret } from '../../../src/config/secret.js';
import type { CallCounter } from '../../../src/model/source.js';
import { silentLogger } from '../../../src/observability/logger.js';
import {
  createEmulatorClock,
  type OktaEmulator,
  type OktaEmulatorOptions,
  startOktaEmulator,
} from '../../emulators/okta/index.js';
import { ensureDevCertificates } from '../../support/devCertificates.js';

export const TOKEN = 'ssws-test-token';

export function testCertificates() {
  const directory = process.env.DIRSYNC_TEST_TLS_DIR;
  if (!directory) throw new Error('DIRSYNC_TEST_TLS_DIR is not set: run the tests through vitest');
  return ensureDevCertificates(directory);
}

export function startEmulator(options: Partial<OktaEmulatorOptions> = {}): Promise<OktaEmulator> {
  return startOktaEmulator({
    certificates: testCertificates(),
    token: TOKEN,
    clock: createEmulatorClock(Date.now(), CLOCK_RATE),
    ...options,
  });
}

export class RecordingCounter implements CallCounter {
  calls = 0;
  throttledMs = 0;
  throttles = 0;
  call(): void {
    this.calls += 1;
  }
  throttled(_side: 'source' | 'target', waitMs: number): void {
    this.throttles += 1;
    this.throttledMs += waitMs;
  }
}

export function sourceConfig(
  emulator: OktaEmulator,
  overrides: Partial<OktaSourceConfig> = {},
): OktaSourceConfig {
  return {
    type: 'okta',
    orgUrl: emulator.url,
    token: new Secret(TOKEN, 'inline'),
    scope: { mode: 'all' },
    filters: [],
    pendingUsers: 'inactive',
    ...overrides,
  };
}

/** The emulated org's clock runs this much faster than the wall clock: a minute passes in 0.3 s. */
const CLOCK_RATE = 200;

/** The source lives on the emulator's time: its rate-limit waits pass as fast as the org's clock. */
export function emulatorTime(emulator: OktaEmulator): SourceClock {
  return {
    now: () => emulator.clock.now(),
    sleep: (ms) => new Promise((wake) => setTimeout(wake, ms / emulator.clock.rate)),
  };
}

export function oktaSource(emulator: OktaEmulator, overrides: Partial<OktaSourceConfig> = {}) {
  const counter = new RecordingCounter();
  const source = createOktaSource(sourceConfig(emulator, overrides), {
    counter,
    logger: silentLogger(),
    clock: emulatorTime(emulator),
  });
  return { source, counter };
}
