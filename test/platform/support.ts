import { Secret } from '../../src/config/secret.js';
import type { CallCounter } from '../../src/model/source.js';
import { ScimPlatform, type ScimPlatformOptions } from '../../src/platform/client.js';
import {
  type ScimEmulator,
  type ScimEmulatorOptions,
  startScimEmulator,
} from '../emulators/scim/scimEmulator.js';
import { ensureDevCertificates } from '../support/devCertificates.js';

export const TOKEN = 'scim-test-token-0123456789';

export function testCertificates() {
  const directory = process.env.DIRSYNC_TEST_TLS_DIR;
  if (!directory) throw new Error('DIRSYNC_TEST_TLS_DIR is not set: run the tests through vitest');
  return ensureDevCertificates(directory);
}

export function startTestEmulator(options: Partial<ScimEmulatorOptions> = {}): Promise<ScimEmulator> {
  return startScimEmulator({ certificates: testCertificates(), token: TOKEN, ...options });
}

/** A CallCounter that remembers what it was told. */
export class RecordingCounter implements CallCounter {
  calls = 0;
  readonly waits: number[] = [];
  call(): void {
    this.calls++;
  }
  throttled(_side: 'source' | 'target', waitMs: number): void {
    this.waits.push(waitMs);
  }
}

export function clientFor(
  emulator: ScimEmulator,
  options: Partial<Omit<ScimPlatformOptions, 'token'>> & { token?: string } = {},
): ScimPlatform {
  const { token, ...rest } = options;
  return new ScimPlatform({
    baseUrl: emulator.url,
    token: new Secret(token ?? TOKEN, 'test'),
    concurrency: 4,
    ...rest,
  });
}
