import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOktaOrg, type OktaEmulator } from '../../emulators/okta/index.js';
import { oktaSource, startEmulator } from './support.js';

describe('Okta reads at the edge of a rate-limit bucket', () => {
  const directory = generateOktaOrg({ users: 1_000, groups: 30, seed: 3 });
  let emulator: OktaEmulator;

  beforeAll(async () => {
    // Every list needs several windows: 10 user pages and 30 group member lists at 8 calls a minute.
    emulator = await startEmulator({ directory, rateLimits: { users: 8, groups: 8, apps: 8, logs: 8 } });
  });
  afterAll(() => emulator.close());

  it('completes a full read without failing and without a 429 storm, slowing down before the limit', async () => {
    const { source, counter } = oktaSource(emulator, {
      scope: { mode: 'app', appId: directory.apps[0]!.id },
    });
    const startedAt = emulator.clock.now();
    const { snapshot } = await source.readFull();

    expect(snapshot.users).toHaveLength(1_000);
    expect(snapshot.groups).toHaveLength(30);
    const refused = emulator.server.calls.filter((call) => call.status === 429).length;
    const served = emulator.server.calls.filter((call) => call.status === 200).length;
    expect(served).toBeGreaterThanOrEqual(39);
    // It slows down before the limit: a refusal at most where a window turns under calls in flight.
    expect(refused).toBeLessThanOrEqual(2);
    expect(counter.calls).toBe(emulator.server.calls.length);
    expect(counter.throttles).toBeGreaterThan(0);
    // The read had to wait for windows to reset: time passed on the org's clock.
    expect(emulator.clock.now() - startedAt).toBeGreaterThan(60_000);
  });

  it('waits out a 429 until the reset instead of failing the run', async () => {
    let draws = 0;
    // Every other request is refused with Okta's 429 (X-Rate-Limit-Reset + Date, no Retry-After),
    // more often than the SDK's default executor (two retries) would survive.
    const faulty = await startEmulator({ directory, random: () => (draws++ % 2 === 0 ? 0 : 0.99) });
    faulty.server.setFaults({ rate429: 0.5, retryAfterSeconds: 30 });
    try {
      const { source, counter } = oktaSource(faulty);
      const { snapshot } = await source.readFull();
      expect(snapshot.users).toHaveLength(1_000);
      const refused = faulty.server.calls.filter((call) => call.status === 429).length;
      expect(refused).toBeGreaterThan(10);
      expect(counter.throttledMs).toBeGreaterThanOrEqual(refused * 30_000);
    } finally {
      await faulty.close();
    }
  });
});
