import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateGraphDirectory } from '../emulators/graph/generator.js';
import { type GraphEmulator, startGraphEmulator } from '../emulators/graph/server.js';
import { generateOktaOrg } from '../emulators/okta/generate.js';
import { type OktaEmulator, startOktaEmulator } from '../emulators/okta/server.js';
import { type ScimEmulator, startScimEmulator } from '../emulators/scim/scimEmulator.js';
import type { DevCertificates } from '../support/devCertificates.js';

/**
 * The demo's world: a Graph tenant and an Okta org seeded with sample directories, a directory
 * export file, and one platform SCIM endpoint per demo tenant, all on loopback HTTPS. Its
 * configuration is written beside it with `file:` secrets, so the printed CLI commands work as is.
 */
export interface DemoEnvironment {
  readonly directory: string;
  readonly configFile: string;
  readonly adminToken: string;
  readonly graph: GraphEmulator;
  readonly okta: OktaEmulator;
  readonly platforms: ReadonlyMap<string, ScimEmulator>;
  /** A user of each source who is in scope, and one who is not, for the commands to try. */
  readonly sampleUsers: {
    readonly contoso: string;
    /** A Graph user the app is not assigned to: explaining them shows the scope rule that left them out. */
    readonly contosoOutOfScope: string;
    readonly acme: string;
    readonly contosoId: string;
    readonly acmeId: string;
  };
  close(): Promise<void>;
}

const GRAPH_TENANT = '11111111-2222-3333-4444-555555555555';
const GRAPH_CLIENT = '66666666-7777-8888-9999-000000000000';
const SERVICE_PRINCIPAL = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

export async function startDemoEnvironment(options: {
  readonly directory: string;
  readonly certificates: DevCertificates;
  readonly redisUrl: string;
  readonly apiListen: string;
}): Promise<DemoEnvironment> {
  const directory = resolve(options.directory);
  const secrets = join(directory, 'secrets');
  mkdirSync(secrets, { recursive: true });
  const secret = (name: string): string => {
    const value = randomBytes(18).toString('base64url');
    writeFileSync(join(secrets, name), value, { mode: 0o600 });
    return value;
  };
  const graphSecret = secret('contoso-graph');
  const oktaToken = secret('acme-okta');
  const adminToken = secret('admin-token');

  const graphDirectory = generateGraphDirectory({
    users: 300,
    groups: 40,
    nestedDepth: 2,
    seed: 7,
    domain: 'contoso.example',
  });
  const graph = await startGraphEmulator({
    certificates: options.certificates,
    tenantId: GRAPH_TENANT,
    clientId: GRAPH_CLIENT,
    clientSecret: graphSecret,
    servicePrincipalId: SERVICE_PRINCIPAL,
    directory: graphDirectory,
  });
  const oktaDirectory = generateOktaOrg({ users: 250, groups: 20, seed: 11 });
  const okta = await startOktaEmulator({
    certificates: options.certificates,
    token: oktaToken,
    directory: oktaDirectory,
  });
  const app = oktaDirectory.apps[0]!;

  const platforms = new Map<string, ScimEmulator>();
  for (const tenant of ['contoso', 'acme', 'hr-export']) {
    platforms.set(
      tenant,
      await startScimEmulator({ certificates: options.certificates, token: secret(`${tenant}-scim`) }),
    );
  }
  const platformUrl = (tenant: string) => platforms.get(tenant)!.url;

  const configFile = join(directory, 'dirsync.yaml');
  const exportFile = resolve('config/demo/directory.json');
  writeFileSync(
    configFile,
    `# Written by \`dirsync demo\`: three demo tenants against local emulators.
redis:
  url: ${options.redisUrl}
api:
  listen: ${options.apiListen}
  tokens:
    - { label: demo-admin, token: "file:secrets/admin-token", role: operator, tenants: ["*"] }
tenants:
  - id: contoso
    source:
      type: graph
      tenantId: ${GRAPH_TENANT}
      clientId: ${GRAPH_CLIENT}
      clientSecret: file:secrets/contoso-graph
      scope: { mode: assigned, servicePrincipalId: ${SERVICE_PRINCIPAL} }
      graphBaseUrl: ${graph.graphBaseUrl}
      authorityHost: ${graph.authorityHost}
    target: { url: "${platformUrl('contoso')}", token: "file:secrets/contoso-scim" }
    schedule: { incremental: "* * * * *", full: "0 * * * *" }
  - id: acme
    source:
      type: okta
      orgUrl: ${okta.url}
      token: file:secrets/acme-okta
      scope: { mode: app, appId: ${app.id} }
    target: { url: "${platformUrl('acme')}", token: "file:secrets/acme-scim" }
    schedule: { incremental: "* * * * *", full: "0 * * * *" }
  - id: hr-export
    source: { type: file, path: ${JSON.stringify(exportFile)} }
    target: { url: "${platformUrl('hr-export')}", token: "file:secrets/hr-export-scim" }
    schedule: { full: "*/5 * * * *" }
`,
  );

  const assigned = new Set(graphDirectory.assignedPrincipalIds);
  const contosoUser =
    graphDirectory.users.find(
      (user) =>
        assigned.has(user.id) &&
        user.accountEnabled !== false &&
        !String(user.userPrincipalName).includes("'"),
    ) ?? graphDirectory.users[0]!;
  const inScope = assignedClosure(graphDirectory);
  const contosoOutsider =
    graphDirectory.users.find(
      (user) => !inScope.has(user.id) && !String(user.userPrincipalName).includes("'"),
    ) ?? graphDirectory.users[0]!;
  const acmeUser =
    oktaDirectory.users.find((user) => app.userIds.includes(user.id) && user.status === 'ACTIVE') ??
    oktaDirectory.users[0]!;
  return {
    directory,
    configFile,
    adminToken,
    graph,
    okta,
    platforms,
    sampleUsers: {
      contoso: String(contosoUser.userPrincipalName),
      contosoOutOfScope: String(contosoOutsider.userPrincipalName),
      contosoId: contosoUser.id,
      acme: String(acmeUser.profile.login),
      acmeId: acmeUser.id,
    },
    async close() {
      await Promise.all([
        graph.close(),
        okta.close(),
        ...[...platforms.values()].map((platform) => platform.close()),
      ]);
    },
  };
}

/** Everyone the app's assignments reach: assigned principals and the members of assigned groups, nested ones too. */
function assignedClosure(directory: ReturnType<typeof generateGraphDirectory>): Set<string> {
  const membersOf = new Map(directory.groups.map((group) => [group.id, group.memberIds]));
  const reached = new Set<string>();
  const pending = [...directory.assignedPrincipalIds];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (reached.has(id)) continue;
    reached.add(id);
    pending.push(...(membersOf.get(id) ?? []));
  }
  return reached;
}
