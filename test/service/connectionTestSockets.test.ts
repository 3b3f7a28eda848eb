import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/observability/logger.js';
import { testConnectionOnce } from '../../src/service/connectionTest.js';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { until } from '../support/until.js';

/** The sockets open in this process, the emulator's side of each connection included. */
const openSockets = () =>
  process
    .getActiveResourcesInfo()
    .filter((resource) => resource === 'TCPSocketWrap' || resource === 'TLSWrap').length;

describe('test-connection', () => {
  let emulator: ScimEmulator;

  beforeAll(async () => {
    emulator = await startScimEmulator({
      certificates: ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!),
      token: 'sockets-token',
    });
  });
  afterAll(() => emulator?.close());

  it('leaves no connection to the platform open once it has answered', async () => {
    const config = parseConfig(
      [
        'tenants:',
        '  - id: desk',
        `    source: { type: file, path: ${join(process.cwd(), 'config', 'demo', 'directory.json')} }`,
        `    target: { url: "${emulator.url}", token: env:DESK_SCIM }`,
      ].join('\n'),
      process.cwd(),
      { env: { DESK_SCIM: 'sockets-token' } },
    );
    const before = openSockets();
    for (let repeat = 0; repeat < 3; repeat++) {
      const report = await testConnectionOnce(config.tenants[0]!, silentLogger());
      expect(report.ok, JSON.stringify(report.checks)).toBe(true);
    }
    // Each test-connection's keep-alive sockets (and the emulator's ends of them) close.
    await until(
      'the platform connections to close',
      async () => (openSockets() <= before ? true : undefined),
      3_000,
    );
  });
});
