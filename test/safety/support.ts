import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProvisionAnswer, ProvisionRequest } from '../../src/model/provision.js';
import type { RunRecord } from '../../src/model/run.js';
import type { ApplyContext } from '../../src/queue/applyOp.js';
import { RunCallCounter } from '../../src/runs/callCounter.js';
import type { PipelineDependencies } from '../../src/runs/pipeline/context.js';
import { provisionOnDemand } from '../../src/runs/provision.js';
import { requestOf } from '../../src/runs/requestRun.js';
import { type ApprovalOutcome, approveHeldRun } from '../../src/service/approval.js';
import { CLIENT_ID, CLIENT_SECRET, startTestEmulator, TENANT_ID } from '../connectors/graph/support.js';
import type { GraphEmulator, GraphEmulatorOptions } from '../emulators/graph/server.js';
import { type OktaEmulator, startOktaEmulator } from '../emulators/okta/index.js';
import type { ScimEmulator } from '../emulators/scim/scimEmulator.js';
import { type DevCertificates, ensureDevCertificates } from '../support/devCertificates.js';
import { type PipelineHarness, startPipelineHarness } from '../support/pipelineHarness.js';
import { type PlatformKind, startTestPlatform, type TestPlatform } from '../support/testPlatform.js';

export const SCIM_TOKEN = 'scim-token-safety-4e8b1d';

/** A user of a JSON directory export as a customer might write it: anything but the id may be missing or odd. */
export interface FileUser {
  readonly id: string;
  readonly userName?: string | null;
  readonly email?: string | null;
  readonly givenName?: string | null;
  readonly familyName?: string | null;
  readonly displayName?: string | null;
  readonly title?: string | null;
  readonly department?: string | null;
  readonly employeeId?: string | number | null;
  readonly active?: boolean | string | null;
}

export interface FileGroup {
  readonly id: string;
  readonly displayName: string;
  readonly members?: readonly string[];
}

export interface FileDirectory {
  readonly users: readonly FileUser[];
  readonly groups?: readonly FileGroup[];
}

export function testCertificates(): DevCertificates {
  const directory = process.env.DIRSYNC_TEST_TLS_DIR;
  if (!directory) throw new Error('DIRSYNC_TEST_TLS_DIR is not set: run the tests through vitest');
  return ensureDevCertificates(directory);
}

/** What a worker gives `applyOp` for this harness's tenant; `reread` as on a first try or a retry. */
export function applyContextOf(harness: PipelineHarness, reread: boolean): ApplyContext {
  return {
    tenant: harness.tenant.id,
    platform: harness.runtime.platform(new RunCallCounter()),
    state: harness.stores.state,
    mappedPaths: harness.runtime.mappedPaths,
    reread,
  };
}

export interface Tenant {
  readonly platform: TestPlatform;
  /** The project's emulator behind `platform`; reading it on another platform is an error. */
  readonly scim: ScimEmulator;
  readonly harness: PipelineHarness;
  readonly deps: PipelineDependencies;
  /** Approves a held run the way `dirsync approve --inline` does. */
  approve(runId: string): Promise<{ outcome: ApprovalOutcome; applied?: RunRecord }>;
  /** Executes an approval request straight through the pipeline (a queued approval's worker). */
  executeApproval(held: RunRecord): Promise<RunRecord>;
  provision(request: ProvisionRequest): Promise<ProvisionAnswer>;
  close(): Promise<void>;
}

export interface TenantOptions {
  /** The `safety:` flow mapping, e.g. `{ maxDeactivations: 3 }`. */
  readonly safety?: string;
  readonly matching?: string;
  readonly pageCap?: number;
  /** Members per group PATCH (default 100). */
  readonly membersPerPatch?: number;
  /** The SCIM server the tenant writes to (default: the project's emulator). */
  readonly platform?: PlatformKind;
}

async function startTenant(
  sourceYaml: string,
  env: NodeJS.ProcessEnv,
  options: TenantOptions,
): Promise<Tenant> {
  const platform = await startTestPlatform(options.platform ?? 'emulator', {
    token: SCIM_TOKEN,
    pageCap: options.pageCap ?? 1000,
  });
  const harness = await startPipelineHarness(
    [
      sourceYaml,
      // The default pacing (50 writes a second) protects a real platform; the emulator needs none.
      `target: { url: "${platform.url}", token: "env:SCIM_TOKEN", maxRequestsPerSecond: 10000, membersPerPatch: ${options.membersPerPatch ?? 100} }`,
      ...(options.safety ? [`safety: ${options.safety}`] : []),
      ...(options.matching ? [`matching: ${options.matching}`] : []),
    ].join('\n'),
    { ...env, SCIM_TOKEN },
  );
  const { deps } = harness;
  const executeApproval = (held: RunRecord) =>
    harness.here.execute({ ...requestOf(held), trigger: 'approve' });
  return {
    platform,
    scim: platform.emulator ?? noEmulator(platform.kind),
    harness,
    deps,
    async approve(runId) {
      let applied: RunRecord | undefined;
      const outcome = await approveHeldRun(harness.stores, harness.tenant.id, runId, async (run) => {
        applied = await executeApproval(run);
      });
      return { outcome, ...(applied ? { applied } : {}) };
    },
    executeApproval,
    provision: (request) =>
      provisionOnDemand(request, {
        ...deps,
        requestFollowUp: () => Promise.reject(new Error('no follow-up run expected in this test')),
      }),
    async close() {
      await harness.close();
      await platform.close();
    },
  };
}

/** Stands for the emulator of a tenant on another platform: any use of it says so. */
function noEmulator(kind: PlatformKind): ScimEmulator {
  return new Proxy({} as ScimEmulator, {
    get() {
      throw new Error(`this tenant writes to the ${kind} platform: read it through tenant.platform`);
    },
  });
}

/** A tenant reading a directory export file. */
export interface FileTenant extends Tenant {
  readonly directoryFile: string;
  write(directory: FileDirectory): void;
  /** Writes the export file as given: broken, truncated, anything. */
  writeText(text: string): void;
}

export interface FileTenantOptions extends TenantOptions {
  readonly format?: 'json' | 'csv';
}

export async function startFileTenant(options: FileTenantOptions = {}): Promise<FileTenant> {
  const directory = mkdtempSync(join(tmpdir(), 'dirsync-safety-'));
  const directoryFile = join(directory, `directory.${options.format ?? 'json'}`);
  writeFileSync(directoryFile, JSON.stringify({ users: [], groups: [] }));
  const tenant = await startTenant(`source: { type: file, path: "${directoryFile}" }`, {}, options);
  return {
    ...tenant,
    directoryFile,
    write: (contents) => writeFileSync(directoryFile, JSON.stringify(contents)),
    writeText: (text) => writeFileSync(directoryFile, text),
  };
}

/** A tenant reading every user and group of a Graph emulator. */
export interface GraphTenant extends Tenant {
  readonly graph: GraphEmulator;
}

export async function startGraphTenant(
  graphOptions: Pick<GraphEmulatorOptions, 'directory' | 'random'>,
  options: TenantOptions = {},
): Promise<GraphTenant> {
  const graph = await startTestEmulator(graphOptions);
  const tenant = await startTenant(
    [
      'source:',
      '  type: graph',
      `  tenantId: ${TENANT_ID}`,
      `  clientId: ${CLIENT_ID}`,
      '  clientSecret: env:GRAPH_CLIENT_SECRET',
      `  graphBaseUrl: ${graph.graphBaseUrl}`,
      `  authorityHost: ${graph.authorityHost}`,
    ].join('\n'),
    { GRAPH_CLIENT_SECRET: CLIENT_SECRET },
    options,
  );
  return {
    ...tenant,
    graph,
    async close() {
      await tenant.close();
      await graph.close();
    },
  };
}

/** A tenant reading every user and group of an Okta org emulator. */
export interface OktaTenant extends Tenant {
  readonly okta: OktaEmulator;
}

const OKTA_TOKEN = 'ssws-token-safety-93c0aa';

export async function startOktaTenant(options: TenantOptions = {}): Promise<OktaTenant> {
  const okta = await startOktaEmulator({ certificates: testCertificates(), token: OKTA_TOKEN });
  const tenant = await startTenant(
    `source: { type: okta, orgUrl: "${okta.url}", token: env:OKTA_TOKEN }`,
    { OKTA_TOKEN },
    options,
  );
  return {
    ...tenant,
    okta,
    async close() {
      await tenant.close();
      await okta.close();
    },
  };
}

/** `count` plain users `prefix-0` … with one group holding them all, for tests that need a managed population. */
export function population(prefix: string, count: number): FileUser[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    userName: `${prefix}-${index}@example.com`,
    givenName: `${prefix} ${index}`,
  }));
}
