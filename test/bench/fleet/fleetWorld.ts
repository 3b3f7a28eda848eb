import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateGraphDirectory } from '../../emulators/graph/generator.js';
import { type GraphEmulator, startGraphEmulator } from '../../emulators/graph/server.js';
import { startTenantsScimEmulator, type TenantsScimEmulator } from '../../emulators/scim/tenantsEmulator.js';
import type { DevCertificates } from '../../support/devCertificates.js';
import { type EmbeddedCluster, startEmbeddedCluster } from '../../support/embeddedCluster.js';
import { freePort } from '../../support/embeddedRedis.js';
import { type FileDirectory, fileDirectory, writeDirectoryFile } from './fileDirectory.js';
import type { FleetTenant } from './fleetSpec.js';

export const FLEET_SCIM_TOKEN = 'fleet-scim-token-3f9a';
export const FLEET_GRAPH_SECRET = 'fleet-graph-secret-77c1';
export const FLEET_ADMIN_TOKEN = 'fleet-operator-token-0123456789abcdef';
const GRAPH_TENANT_ID = '11111111-2222-3333-4444-555555555555';
const GRAPH_CLIENT_ID = '66666666-7777-8888-9999-000000000000';

/** Everything the fleet's processes talk to: the Redis Cluster, the platforms, the sources, the config. */
export interface FleetWorld {
  readonly cluster: EmbeddedCluster;
  readonly platform: TenantsScimEmulator;
  /** Each file tenant's export as last written, by tenant id. */
  readonly files: ReadonlyMap<string, { readonly path: string; readonly directory: FileDirectory }>;
  /** Each Graph tenant's emulated Entra tenant, by tenant id. */
  readonly graphs: ReadonlyMap<string, GraphEmulator>;
  readonly configFile: string;
  /** The admin API's base URL. */
  readonly api: string;
  /** The environment the dirsync processes need for the configuration's secrets. */
  readonly env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startFleetWorld(
  tenants: readonly FleetTenant[],
  certificates: Pick<DevCertificates, 'certPem' | 'keyPem'>,
  folder: string,
): Promise<FleetWorld> {
  mkdirSync(folder, { recursive: true });
  const [cluster, platform] = await Promise.all([
    startEmbeddedCluster(),
    startTenantsScimEmulator({ certificates, token: FLEET_SCIM_TOKEN }),
  ]);
  const files = new Map<string, { path: string; directory: FileDirectory }>();
  const graphs = new Map<string, GraphEmulator>();
  const close = async () => {
    await Promise.all([
      cluster.stop(),
      platform.close(),
      ...[...graphs.values()].map((graph) => graph.close()),
    ]);
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    for (const [index, tenant] of tenants.entries()) {
      if (tenant.kind === 'file') {
        const path = join(folder, `${tenant.id}.json`);
        const directory = fileDirectory(tenant.id, tenant.users);
        writeDirectoryFile(path, directory);
        files.set(tenant.id, { path, directory });
      } else {
        const directory = generateGraphDirectory({
          users: tenant.users,
          groups: Math.max(2, Math.floor(tenant.users / 25)),
          nestedDepth: 1,
          seed: index + 1,
          domain: `${tenant.id}.example`,
        });
        graphs.set(
          tenant.id,
          await startGraphEmulator({
            certificates,
            tenantId: GRAPH_TENANT_ID,
            clientId: GRAPH_CLIENT_ID,
            clientSecret: FLEET_GRAPH_SECRET,
            directory,
          }),
        );
      }
    }
    const port = await freePort();
    const configFile = join(folder, 'dirsync.yaml');
    writeFileSync(configFile, fleetConfig({ tenants, cluster, platform, files, graphs, port }));
    return {
      cluster,
      platform,
      files,
      graphs,
      configFile,
      api: `http://127.0.0.1:${port}`,
      env: {
        FLEET_SCIM_TOKEN,
        FLEET_GRAPH_SECRET,
        FLEET_ADMIN_TOKEN,
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function fleetConfig(world: {
  readonly tenants: readonly FleetTenant[];
  readonly cluster: EmbeddedCluster;
  readonly platform: TenantsScimEmulator;
  readonly files: ReadonlyMap<string, { readonly path: string }>;
  readonly graphs: ReadonlyMap<string, GraphEmulator>;
  readonly port: number;
}): string {
  const lines = [
    `redis: { cluster: { nodes: ${JSON.stringify(world.cluster.nodes)} } }`,
    'api:',
    `  listen: 127.0.0.1:${world.port}`,
    '  tokens:',
    '    - { label: fleet-bench, token: env:FLEET_ADMIN_TOKEN, role: operator, tenants: ["*"] }',
    'tenants:',
  ];
  for (const tenant of world.tenants) {
    const graph = world.graphs.get(tenant.id);
    const source = graph
      ? `{ type: graph, tenantId: ${graph.tenantId}, clientId: ${graph.clientId}, clientSecret: env:FLEET_GRAPH_SECRET, scope: { mode: all }, graphBaseUrl: "${graph.graphBaseUrl}", authorityHost: "${graph.authorityHost}" }`
      : `{ type: file, path: "${world.files.get(tenant.id)?.path}" }`;
    lines.push(
      `  - id: ${tenant.id}`,
      `    source: ${source}`,
      `    target: { url: "${world.platform.urlOf(tenant.id)}", token: env:FLEET_SCIM_TOKEN }`,
      `    schedule: { incremental: "${tenant.pattern}" }`,
    );
  }
  return `${lines.join('\n')}\n`;
}
