import type { RedisTarget } from '../../../src/service/redis.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  servedPaths,
  startTestEmulator,
  TENANT_ID,
} from '../../connectors/graph/support.js';
import { type GraphDirectorySpec, generateGraphDirectory } from '../../emulators/graph/generator.js';
import type { GraphEmulator, GraphEmulatorOptions } from '../../emulators/graph/server.js';
import { type PipelineHarness, startPipelineHarness } from '../../support/pipelineHarness.js';
import { type PlatformKind, startTestPlatform, type TestPlatform } from '../../support/testPlatform.js';

const SERVICE_PRINCIPAL_ID = 'c0ffee00-1234-4abc-8def-0123456789ab';
const SCIM_TOKEN = 'scim-token-graph-integration-5d1e';

/** What an incremental run may read from Graph: both delta feeds, and the assignments (which have no feed). */
export const CHANGE_FEED_PATHS: ReadonlySet<string> = new Set([
  '/v1.0/users/delta',
  '/v1.0/groups/delta',
  `/v1.0/servicePrincipals/${SERVICE_PRINCIPAL_ID}/appRoleAssignedTo`,
]);

/** The generated tenant every file of this folder syncs: 2,000+ users, nested groups, an app assignment set. */
const GENERATED_SPEC: GraphDirectorySpec = { users: 2_100, groups: 150, nestedDepth: 3, seed: 42 };

/** A Graph tenant in `assigned` scope wired to the SCIM platform emulator through the real pipeline. */
export interface GraphPipeline {
  readonly generated: ReturnType<typeof generateGraphDirectory>;
  readonly graph: GraphEmulator;
  readonly platform: TestPlatform;
  readonly harness: PipelineHarness;
  /** The Graph API paths (sign-in aside) served since the call logs were last reset. */
  graphPathsRead(): ReadonlySet<string>;
  /** Forgets both emulators' call logs, so the next run's calls can be read alone. */
  resetCalls(): void;
  close(): Promise<void>;
}

export interface GraphPipelineOptions {
  /** The SCIM server the tenant writes to (default: the project's emulator). */
  readonly platform?: PlatformKind;
  readonly spec?: GraphDirectorySpec;
  readonly graph?: Pick<GraphEmulatorOptions, 'random' | 'deltaPageSize'>;
  /** Resources per SCIM list page; small pages make a listing of the platform show in the call count. */
  readonly scimPageCap?: number;
  /** The Redis the pipeline keeps its state and queues in (default: the suite's shared server). */
  readonly redis?: RedisTarget;
}

export async function startGraphPipeline(options: GraphPipelineOptions = {}): Promise<GraphPipeline> {
  const generated = generateGraphDirectory(options.spec ?? GENERATED_SPEC);
  const graph = await startTestEmulator({
    directory: generated,
    servicePrincipalId: SERVICE_PRINCIPAL_ID,
    ...options.graph,
  });
  const platform = await startTestPlatform(options.platform ?? 'emulator', {
    token: SCIM_TOKEN,
    ...(options.scimPageCap !== undefined && { pageCap: options.scimPageCap }),
  });
  const harness = await startPipelineHarness(
    [
      'source:',
      '  type: graph',
      `  tenantId: ${TENANT_ID}`,
      `  clientId: ${CLIENT_ID}`,
      '  clientSecret: env:GRAPH_CLIENT_SECRET',
      `  scope: { mode: assigned, servicePrincipalId: ${SERVICE_PRINCIPAL_ID} }`,
      `  graphBaseUrl: ${graph.graphBaseUrl}`,
      `  authorityHost: ${graph.authorityHost}`,
      // The default pacing (50 writes/s) would make the initial sync of this tenant take most of a minute.
      `target: { url: "${platform.url}", token: "env:SCIM_TOKEN", maxRequestsPerSecond: 10000 }`,
    ].join('\n'),
    { GRAPH_CLIENT_SECRET: CLIENT_SECRET, SCIM_TOKEN },
    options.redis,
  );
  return {
    generated,
    graph,
    platform,
    harness,
    graphPathsRead() {
      return new Set(servedPaths(graph).filter((path) => path.startsWith('/v1.0/')));
    },
    resetCalls() {
      graph.server.resetCalls();
      platform.resetCalls();
    },
    async close() {
      await harness.close();
      await Promise.all([graph.close(), platform.close()]);
    },
  };
}
