import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.js';
import { generateOktaOrg, type OktaEmulator } from '../../emulators/okta/index.js';
import { oktaSource, startEmulator } from './support.js';

const CLIENT_ID = '0oaservice0000000001';

describe('Okta connection and credentials', () => {
  const directory = generateOktaOrg({ users: 40, groups: 3, seed: 5 });
  const appId = directory.apps[0]!.id;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let emulator: OktaEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({
      directory,
      oauthClient: {
        clientId: CLIENT_ID,
        publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
  });
  afterAll(() => emulator.close());

  it('works with a trailing slash on orgUrl', async () => {
    const { source } = oktaSource(emulator, { orgUrl: `${emulator.url}/` });
    expect((await source.readFull()).snapshot.users).toHaveLength(40);
    expect(emulator.server.calls.every((call) => !call.path.startsWith('//'))).toBe(true);
  });

  it('reads with an OAuth service app signing a private key JWT (the SDK also sends DPoP proofs)', async () => {
    const { source, counter } = oktaSource(emulator, {
      token: undefined,
      clientId: CLIENT_ID,
      privateKey: new Secret(keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'inline'),
    });
    emulator.server.resetCalls();
    expect((await source.readFull()).snapshot.users).toHaveLength(40);
    // The SDK fetches a token per request started before the first token arrived, then reuses it.
    const tokenCalls = emulator.server.calls.filter((call) => call.path === '/oauth2/v1/token');
    expect(tokenCalls.length).toBeGreaterThan(0);
    expect(tokenCalls.length).toBeLessThanOrEqual(4);
    expect(tokenCalls.every((call) => call.status === 200)).toBe(true);
    expect(emulator.server.calls.every((call) => call.status === 200)).toBe(true);
    expect(counter.calls).toBe(emulator.server.calls.length);
  });

  it('refuses an OAuth client whose key the org does not know, and says so', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { source } = oktaSource(emulator, {
      token: undefined,
      clientId: CLIENT_ID,
      privateKey: new Secret(
        stranger.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        'inline',
      ),
    });
    const checks = await source.testConnection();
    expect(checks[0]).toMatchObject({ name: 'credentials', ok: false });
    expect(checks[0]?.message).toMatch(
      /refused the OAuth token request \(HTTP 401 invalid_client: .*signature/,
    );
    await expect(source.readFull()).rejects.toThrow(/invalid_client/);
  });

  it('ignores OKTA_CLIENT_* environment variables that would override the tenant config', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      OKTA_CLIENT_ORGURL: 'https://elsewhere.okta.com',
      OKTA_CLIENT_TOKEN: 'not-the-tenant-token',
      OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey',
      OKTA_CLIENT_KEYID: 'kid-from-env',
    });
    try {
      const { source } = oktaSource(emulator);
      expect((await source.readFull()).snapshot.users).toHaveLength(40);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    }
  });

  it('reports every check as passing for a token with all read permissions', async () => {
    const { source } = oktaSource(emulator, { scope: { mode: 'app', appId } });
    const checks = await source.testConnection();
    expect(checks.map((check) => [check.name, check.ok])).toEqual([
      ['credentials', true],
      ['read users', true],
      ['read groups', true],
      ['read app assignments', true],
      ['read System Log', true],
    ]);
  });

  it('names the missing scope, and an app that does not exist', async () => {
    const limited = await startEmulator({
      directory,
      tokenScopes: ['okta.users.read', 'okta.groups.read', 'okta.apps.read'],
    });
    try {
      const { source } = oktaSource(limited, { scope: { mode: 'app', appId: '0oa00000000000000bad' } });
      const checks = await source.testConnection();
      const byName = Object.fromEntries(checks.map((check) => [check.name, check]));
      expect(byName.credentials?.ok).toBe(true);
      expect(byName['read System Log']).toMatchObject({ ok: false });
      expect(byName['read System Log']?.message).toMatch(/E0000006.*okta\.logs\.read/);
      expect(byName['read app assignments']).toEqual({
        name: 'read app assignments',
        ok: false,
        message: 'app 0oa00000000000000bad not found',
      });
    } finally {
      await limited.close();
    }
  });

  it('reports a wrong token as rejected credentials', async () => {
    const { source } = oktaSource(emulator, { token: new Secret('wrong', 'inline') });
    const checks = await source.testConnection();
    expect(checks[0]).toMatchObject({ name: 'credentials', ok: false });
    expect(checks[0]?.message).toMatch(/E0000011/);
    expect(JSON.stringify(checks)).not.toContain('wrong');
  });
});
