import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type FileTenant, startFileTenant } from '../safety/support.js';

/**
 * Provision on demand against platforms whose filters cannot find a name holding a quote: the
 * user is still found, adopted rather than duplicated, and the trace says how it was found.
 */
describe('provision on demand on platforms that cannot filter by every name', () => {
  let tenant: FileTenant;
  const quoted = { id: 'src-q', userName: 'o"brien@contoso.com', email: 'o"brien@contoso.com' };

  // A tenant of its own per test: what a platform's filters do is learnt once per tenant.
  beforeEach(async () => {
    tenant = await startFileTenant();
    tenant.write({ users: [quoted, { id: 'src-p', userName: 'plain@contoso.com' }] });
  });
  afterEach(() => tenant?.close());

  for (const quirks of [{ refuseFilters: 'escaped' as const }, { undecodedEscapes: true }]) {
    test(`an unclaimed account is adopted, not duplicated (${Object.keys(quirks)[0]})`, async () => {
      tenant.scim.store.quirks = quirks;
      const seeded = tenant.scim.store.seedUser({ userName: quoted.userName });
      tenant.scim.store.seedUser({ userName: 'someone@contoso.com' });

      const answer = await tenant.provision({ users: [quoted.id], groups: [] });

      const [result] = answer.results;
      expect(result).toMatchObject({ status: 'success' });
      const match = result?.steps.find((step) => step.step === 'match');
      expect(match?.details).toMatchObject({ matchedBy: 'userName', targetId: seeded.id });
      const reason = 'refuseFilters' in quirks ? 'refused by the platform' : 'does not decode';
      expect(match?.details.lookup).toContainEqual(
        expect.stringMatching(new RegExp(`^filter on userName .*${reason}; found by scanning 2 users$`)),
      );
      const users = tenant.scim.store.users();
      expect(users).toHaveLength(2);
      expect(users.find((user) => user.id === seeded.id)).toMatchObject({ externalId: quoted.id });
    });
  }

  test('a platform that filters well is not scanned, and the trace says nothing of it', async () => {
    tenant.scim.store.quirks = {};
    tenant.scim.store.seedUser({ userName: quoted.userName });
    tenant.scim.server.resetCalls();
    const answer = await tenant.provision({ users: [quoted.id], groups: [] });
    const match = answer.results[0]?.steps.find((step) => step.step === 'match');
    expect(match?.details).toMatchObject({ matchedBy: 'userName' });
    expect(match?.details, JSON.stringify(match?.details)).not.toHaveProperty('lookup');
    const usersGets = () =>
      tenant.scim.server.calls.filter((call) => call.method === 'GET' && call.path === '/scim/v2/Users');
    // One filter by externalId, one by userName; the userName found the account to adopt, so the
    // email is not asked, and nothing is left unfound to check how the platform compares.
    expect(usersGets()).toHaveLength(2);
    tenant.scim.server.resetCalls();
    await tenant.provision({ users: [quoted.id], groups: [] });
    expect(usersGets()).toHaveLength(2);
  });
});
