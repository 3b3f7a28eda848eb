import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ProvisionAnswer } from '../../src/model/provision.js';
import { scimView } from '../support/scimState.js';
import { PLATFORM_KINDS } from '../support/testPlatform.js';
import { type GraphTenant, type OktaTenant, startGraphTenant, startOktaTenant } from './support.js';

const DOMAIN = 'contoso.example';

function expectAllSucceeded(answer: ProvisionAnswer): void {
  for (const result of answer.results) expect(result, result.subject).toMatchObject({ status: 'success' });
}

const userNames = async (tenant: GraphTenant | OktaTenant) =>
  (await scimView(tenant.platform)).users.map((user) => user.userName);

describe.each(PLATFORM_KINDS)(
  'hostile names read from Microsoft Graph into the %s SCIM platform: OData quotes doubled on lookups',
  (kind) => {
    const hostileUpns = [
      `o'brien@${DOMAIN}`,
      `x' or '1' eq '1@${DOMAIN}`,
      `two''quotes@${DOMAIN}`,
      `'leading@${DOMAIN}`,
      `ends-with-quote'@${DOMAIN}`,
    ];
    let tenant: GraphTenant;

    beforeAll(async () => {
      tenant = await startGraphTenant(
        {
          directory: {
            users: [
              { userPrincipalName: `decoy@${DOMAIN}`, displayName: 'Decoy', mail: `decoy@${DOMAIN}` },
              {
                userPrincipalName: `rtl@${DOMAIN}`,
                displayName: '\u202Bمحمد علي\u202C 🚀',
                jobTitle: '営業 "lead"',
              },
            ],
            groups: [],
          },
        },
        { platform: kind },
      );
      expect(await tenant.harness.run('full')).toMatchObject({ status: 'succeeded', failureCount: 0 });
    });
    afterAll(() => tenant?.close());

    test('users and a group added later are provisioned on demand by their quoted names, and only they', async () => {
      const { directory } = tenant.graph;
      const users = hostileUpns.map((upn) =>
        directory.addUser({ userPrincipalName: upn, displayName: upn.split('@')[0], mail: upn }),
      );
      const team = directory.addGroup({ displayName: "R&D 'Core' or Ops" });
      directory.addMember(team.id, users[0]!.id);
      directory.addMember(team.id, users[1]!.id);
      tenant.graph.server.resetCalls();

      const answer = await tenant.provision({ users: hostileUpns, groups: ["R&D 'Core' or Ops"] });
      expectAllSucceeded(answer);
      expect(answer.results.map((result) => result.subject)).toEqual([...hostileUpns, "R&D 'Core' or Ops"]);
      expect(tenant.graph.server.calls.filter((call) => call.status >= 400)).toEqual([]);
      expect((await userNames(tenant)).sort()).toEqual(
        [`decoy@${DOMAIN}`, `rtl@${DOMAIN}`, ...hostileUpns].sort(),
      );
      expect((await scimView(tenant.platform)).groups).toEqual([
        {
          displayName: "R&D 'Core' or Ops",
          externalId: team.id,
          members: [hostileUpns[0]!, hostileUpns[1]!].sort(),
        },
      ]);

      // A full run afterwards agrees with what on-demand provisioning did.
      tenant.platform.resetCalls();
      const full = await tenant.harness.run('full');
      expect(full).toMatchObject({ status: 'succeeded', failureCount: 0 });
      expect(tenant.platform.calls.filter((call) => call.method !== 'GET')).toEqual([]);
      expect(
        (await scimView(tenant.platform)).users.find((user) => user.userName === `rtl@${DOMAIN}`),
      ).toMatchObject({
        displayName: '\u202Bمحمد علي\u202C 🚀',
        title: '営業 "lead"',
      });
    });
  },
);

describe.each(PLATFORM_KINDS)(
  'hostile names read from Okta into the %s SCIM platform: search expressions quoted',
  (kind) => {
    const hostileLogins = [
      'o"brien@example.com',
      'back\\slash@example.com',
      'x" or profile.login sw "@example.com',
      'trailing\\',
    ];
    let tenant: OktaTenant;

    beforeAll(async () => {
      tenant = await startOktaTenant({ platform: kind });
      tenant.okta.org.addUser({
        login: 'decoy@example.com',
        email: 'decoy@example.com',
        firstName: 'De',
        lastName: 'Coy',
      });
    });
    afterAll(() => tenant?.close());

    test('logins and a group name with quotes and backslashes are provisioned on demand, and a full run agrees', async () => {
      const { org } = tenant.okta;
      const users = hostileLogins.map((login) =>
        org.addUser({ login, email: 'shared@example.com', firstName: 'Pat', lastName: 'O"Brien \\ Jr' }),
      );
      const group = org.addGroup({ name: 'Field "Ops" \\ EMEA' });
      org.addMember(group.id, users[0]!.id);
      org.addMember(group.id, users[3]!.id);

      const answer = await tenant.provision({ users: hostileLogins, groups: ['Field "Ops" \\ EMEA'] });
      expectAllSucceeded(answer);
      expect(tenant.okta.server.calls.filter((call) => call.status >= 400)).toEqual([]);
      expect((await userNames(tenant)).sort()).toEqual([...hostileLogins].sort());
      expect((await scimView(tenant.platform)).groups).toEqual([
        {
          displayName: 'Field "Ops" \\ EMEA',
          externalId: group.id,
          members: [hostileLogins[0]!, hostileLogins[3]!].sort(),
        },
      ]);

      const full = await tenant.harness.run('full');
      expect(full).toMatchObject({ status: 'succeeded', failureCount: 0 });
      expect((await userNames(tenant)).sort()).toEqual([...hostileLogins, 'decoy@example.com'].sort());
      expect(full.counts.createUser?.succeeded).toBe(1);
      expect(
        (await scimView(tenant.platform)).users.find((user) => user.userName === hostileLogins[0]),
      ).toMatchObject({
        familyName: 'O"Brien \\ Jr',
      });
    });
  },
);
