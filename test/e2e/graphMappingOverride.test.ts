import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, TENANT_ID } from '../connectors/graph/support.js';
import type { GraphEmulator } from '../emulators/graph/server.js';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import { runCli } from '../support/cli.js';
import { ensureDevCertificates } from '../support/devCertificates.js';

const SCIM_TOKEN = 'scim-token-e2e-mapping-51c2';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('a Graph mapping override to a property outside the default mapping reaches the platform', () => {
  const tenant = `graph-mapping-${randomBytes(3).toString('hex')}`;
  let graph: GraphEmulator;
  let scim: ScimEmulator;
  let configFile: string;
  const sync = (...extra: string[]) =>
    runCli(['--config', configFile, 'sync', tenant, '--inline', ...extra], {
      SCIM_TOKEN,
      GRAPH_SECRET: CLIENT_SECRET,
      REDIS_URL: process.env.REDIS_URL ?? '',
    });
  const platformUser = () => {
    const users = scim.store.users();
    expect(users).toHaveLength(1);
    return users[0]!;
  };

  beforeAll(async () => {
    graph = await startTestEmulator({
      directory: {
        users: [
          {
            userPrincipalName: 'ada@contoso.example',
            displayName: 'Ada Lovelace',
            jobTitle: 'Engineer',
            // Neither is in Graph's default set nor in dirsync's default mapping.
            companyName: 'Analytical Engines Ltd',
            onPremisesExtensionAttributes: { extensionAttribute1: 'CC-1001' },
          },
        ],
        groups: [],
      },
    });
    scim = await startScimEmulator({
      certificates: ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!),
      token: SCIM_TOKEN,
    });
    const directory = mkdtempSync(join(tmpdir(), 'dirsync-e2e-mapping-'));
    configFile = join(directory, 'dirsync.yaml');
    writeFileSync(
      configFile,
      [
        'tenants:',
        `  - id: ${tenant}`,
        '    source:',
        '      type: graph',
        `      tenantId: ${TENANT_ID}`,
        `      clientId: ${CLIENT_ID}`,
        '      clientSecret: env:GRAPH_SECRET',
        '      scope: { mode: all }',
        `      graphBaseUrl: ${graph.graphBaseUrl}`,
        `      authorityHost: ${graph.authorityHost}`,
        `    target: { url: "${scim.url}", token: "env:SCIM_TOKEN" }`,
        '    mapping:',
        '      users:',
        '        title: companyName',
        `        "${ENTERPRISE}:costCenter": onPremisesExtensionAttributes.extensionAttribute1`,
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await scim?.close();
    await graph?.close();
  });

  test('a full run selects and maps them; an incremental run carries a change to one', async () => {
    const full = await sync('--full');
    expect(full.code, full.stderr).toBe(0);
    expect(platformUser()).toMatchObject({
      userName: 'ada@contoso.example',
      title: 'Analytical Engines Ltd',
      [ENTERPRISE]: { costCenter: 'CC-1001' },
    });

    const ada = graph.directory.userByPrincipalName('ada@contoso.example')!;
    graph.directory.updateUser(ada.id, { companyName: 'Difference Engines plc' });
    const incremental = await sync();
    expect(incremental.code, incremental.stderr).toBe(0);
    expect(platformUser()).toMatchObject({
      title: 'Difference Engines plc',
      [ENTERPRISE]: { costCenter: 'CC-1001' },
    });
  });
});
