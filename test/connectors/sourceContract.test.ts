import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileSource } from '../../connectors/file/source.js';
import { createOktaSource } from '../../connectors/okta/source.js';
import { Secret } from '../../src/config/secret.js';
import type { CallCounter } from '../../src/model/source.js';
import { silentLogger } from '../../src/observability/logger.js';
import {
  CLIENT_SECRET,
  testSource as graphSource,
  recordingCounter,
  seededRandom,
  startTestEmulator as startGraphEmulator,
} from './graph/support.js';
import {
  emulatorTime,
  sourceConfig as oktaConfig,
  startEmulator as startOktaEmulator,
} from './okta/support.js';
import {
  type ContractDirectory,
  contractDirectory,
  NEWCOMER,
  type Person,
  type SourceUnderContract,
  sourceContract,
} from './sourceContract.js';

sourceContract('Microsoft Graph', async (): Promise<SourceUnderContract> => {
  const directory = contractDirectory({
    users: {
      alice: '10000000-0000-4000-8000-00000000000a',
      bob: '10000000-0000-4000-8000-00000000000b',
      dave: '10000000-0000-4000-8000-00000000000d',
    },
    groups: {
      sales: '20000000-0000-4000-8000-00000000005a',
      engineering: '20000000-0000-4000-8000-00000000000e',
    },
  });
  const graphDirectory = {
    users: Object.values(directory.users).map((person: Person) => ({
      id: person.id,
      userPrincipalName: person.userName,
      mail: person.email,
      displayName: person.userName,
      accountEnabled: person.active,
    })),
    groups: Object.values(directory.groups).map((team) => ({
      id: team.id,
      displayName: team.name,
      memberIds: team.memberIds,
    })),
  };
  const emulator = await startGraphEmulator({ directory: graphDirectory, random: seededRandom(13) });
  const withoutGroups = await startGraphEmulator({
    directory: graphDirectory,
    grantedPermissions: ['User.Read.All'],
  });
  return {
    type: 'graph',
    directory,
    unknownUserId: '10000000-0000-4000-8000-000000000404',
    source: (counter = recordingCounter()) => graphSource(emulator, {}, counter),
    checks: ['token', 'User.Read.All', 'GroupMember.Read.All'],
    withoutPermission: async () => ({ source: graphSource(withoutGroups), check: 'GroupMember.Read.All' }),
    changeFeed: {
      addToSales: () => {
        const erin = emulator.directory.addUser({
          userPrincipalName: NEWCOMER.userName,
          mail: NEWCOMER.email,
          displayName: 'Erin',
        });
        emulator.directory.addMember(directory.groups.sales.id, erin.id);
        return erin.id;
      },
    },
    refusedCredentials: () =>
      graphSource(emulator, { clientSecret: new Secret(`not-${CLIENT_SECRET}`, 'env:TEST_GRAPH_SECRET') }),
    throttle: (rate) => emulator.server.setFaults({ rate429: rate, retryAfterSeconds: 0 }),
    missingObject: () =>
      graphSource(emulator, {
        scope: { mode: 'assigned', servicePrincipalId: '30000000-0000-4000-8000-000000000404' },
      }),
    otherFailures: [
      {
        name: 'a scope group the directory does not hold',
        source: () => graphSource(emulator, { scope: { mode: 'groups', groups: ['No such group'] } }),
        failure: { class: 'fatal', cause: 'configuration' },
      },
    ],
    close: async () => {
      await Promise.all([emulator.close(), withoutGroups.close()]);
    },
  };
});

sourceContract('Okta', async (): Promise<SourceUnderContract> => {
  const oktaId = (prefix: '00u' | '00g', name: string) => `${prefix}${name.padStart(17, '0')}`;
  const directory = contractDirectory({
    users: { alice: oktaId('00u', 'alice'), bob: oktaId('00u', 'bob'), dave: oktaId('00u', 'dave') },
    groups: { sales: oktaId('00g', 'sales'), engineering: oktaId('00g', 'engineering') },
  });
  const oktaDirectory = {
    users: Object.values(directory.users).map((person: Person) => ({
      id: person.id,
      status: person.active ? ('ACTIVE' as const) : ('SUSPENDED' as const),
      profile: {
        login: person.userName,
        email: person.email,
        firstName: person.userName,
        lastName: 'Contract',
      },
    })),
    groups: Object.values(directory.groups).map((team) => ({
      id: team.id,
      name: team.name,
      memberIds: team.memberIds,
    })),
    apps: [],
  };
  // Seeded: the 429 storm must hit the reads the same way on every run.
  const emulator = await startOktaEmulator({ directory: oktaDirectory, random: seededRandom(13) });
  const withoutGroups = await startOktaEmulator({
    directory: oktaDirectory,
    tokenScopes: ['okta.users.read', 'okta.apps.read', 'okta.logs.read'],
  });
  const oktaSource = (
    on: typeof emulator,
    overrides: Parameters<typeof oktaConfig>[1] = {},
    counter: CallCounter = recordingCounter(),
  ) =>
    createOktaSource(oktaConfig(on, overrides), {
      counter,
      logger: silentLogger(),
      clock: emulatorTime(on),
    });
  return {
    type: 'okta',
    directory,
    unknownUserId: oktaId('00u', 'nobody'),
    source: (counter) => oktaSource(emulator, {}, counter),
    checks: ['credentials', 'read users', 'read groups', 'read System Log'],
    withoutPermission: async () => ({ source: oktaSource(withoutGroups), check: 'read groups' }),
    changeFeed: {
      addToSales: () => {
        const erin = emulator.org.addUser({
          login: NEWCOMER.userName,
          email: NEWCOMER.email,
          firstName: 'Erin',
          lastName: 'White',
        });
        emulator.org.addMember(directory.groups.sales.id, erin.id);
        return erin.id;
      },
    },
    refusedCredentials: () => oktaSource(emulator, { token: new Secret('not-the-token', 'inline') }),
    throttle: (rate) => emulator.server.setFaults({ rate429: rate, retryAfterSeconds: 0 }),
    missingObject: () => oktaSource(emulator, { scope: { mode: 'app', appId: '0oa00000000000000404' } }),
    otherFailures: [
      {
        name: 'an org nothing answers at',
        source: () =>
          createOktaSource(
            { ...oktaConfig(emulator), orgUrl: 'https://localhost:1' },
            { counter: recordingCounter(), logger: silentLogger() },
          ),
        failure: { class: 'fatal', cause: 'unreachable' },
      },
    ],
    close: async () => {
      await Promise.all([emulator.close(), withoutGroups.close()]);
    },
  };
});

sourceContract('File export', async (): Promise<SourceUnderContract> => {
  const folder = await mkdtemp(join(tmpdir(), 'dirsync-contract-'));
  const directory = contractDirectory({
    users: { alice: 'u-alice', bob: 'u-bob', dave: 'u-dave' },
    groups: { sales: 'g-sales', engineering: 'g-engineering' },
  });
  const path = join(folder, 'directory.json');
  await writeFile(path, JSON.stringify(exportOf(directory)));
  const malformed = join(folder, 'malformed.json');
  await writeFile(malformed, '{"users": [{"userName": "no-id@contoso.example"}]}');
  const fileSource = (at: string) =>
    createFileSource({ type: 'file', path: at, scope: { mode: 'all' }, filters: [] });
  return {
    type: 'file',
    directory,
    unknownUserId: 'u-nobody',
    source: () => fileSource(path),
    checks: ['read directory file'],
    withoutPermission: async () => ({
      source: fileSource(join(folder, 'not-there.json')),
      check: 'read directory file',
    }),
    changeFeed: 'none',
    refusedCredentials: 'none',
    throttle: 'none',
    missingObject: 'none',
    otherFailures: [
      {
        name: 'a file that is not there',
        source: () => fileSource(join(folder, 'not-there.json')),
        failure: { class: 'fatal', cause: 'configuration' },
      },
      { name: 'a malformed export', source: () => fileSource(malformed), failure: { class: 'badRequest' } },
    ],
    close: () => rm(folder, { recursive: true, force: true }),
  };
});

function exportOf(directory: ContractDirectory): unknown {
  return {
    users: Object.values(directory.users).map((person) => ({
      id: person.id,
      userName: person.userName,
      email: person.email,
      active: person.active,
    })),
    groups: Object.values(directory.groups).map((team) => ({
      id: team.id,
      displayName: team.name,
      members: team.memberIds,
    })),
  };
}
