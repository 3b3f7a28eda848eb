import { afterAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.js';
import type { GraphEmulator } from '../../emulators/graph/server.js';
import { CLIENT_SECRET, startTestEmulator, testCertificates, testSource } from './support.js';

const SERVICE_PRINCIPAL_ID = 'dddddddd-eeee-4fff-8000-111111111111';
const started: GraphEmulator[] = [];
afterAll(() => Promise.all(started.map((emulator) => emulator.close())));

async function emulatorWith(options: Parameters<typeof startTestEmulator>[0]): Promise<GraphEmulator> {
  const emulator = await startTestEmulator({ servicePrincipalId: SERVICE_PRINCIPAL_ID, ...options });
  started.push(emulator);
  return emulator;
}

const assigned = { scope: { mode: 'assigned' as const, servicePrincipalId: SERVICE_PRINCIPAL_ID } };

describe('Graph testConnection', () => {
  it('passes every check when the app has its permissions', async () => {
    const emulator = await emulatorWith({});
    const checks = await testSource(emulator, assigned).testConnection();
    expect(checks.map((check) => [check.name, check.ok])).toEqual([
      ['token', true],
      ['User.Read.All', true],
      ['GroupMember.Read.All', true],
      ['Application.Read.All', true],
    ]);
  });

  it('names a missing permission', async () => {
    const emulator = await emulatorWith({ grantedPermissions: ['User.Read.All'] });
    const checks = await testSource(emulator, assigned).testConnection();
    const failed = checks.filter((check) => !check.ok);
    expect(failed.map((check) => check.name)).toEqual(['GroupMember.Read.All', 'Application.Read.All']);
    expect(failed[0]?.message).toMatch(
      /missing application permission GroupMember\.Read\.All.*403 Authorization_RequestDenied/,
    );
  });

  it('says the client secret is wrong, without repeating it', async () => {
    const emulator = await emulatorWith({});
    const wrong = 'not-the-secret-value';
    const checks = await testSource(emulator, { clientSecret: new Secret(wrong, 'env:X') }).testConnection();
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ name: 'token', ok: false });
    expect(checks[0]?.message).toMatch(/AADSTS7000215.*client secret is invalid/);
    expect(checks[0]?.message).not.toContain(wrong);
  });

  it('signs in with a certificate instead of a secret', async () => {
    const certificates = testCertificates();
    const emulator = await emulatorWith({ clientCertificatePem: certificates.certPem });
    const source = testSource(emulator, {
      clientSecret: undefined,
      certificate: new Secret(`${certificates.certPem}\n${certificates.keyPem}`, 'file:app.pem'),
    });
    const checks = await source.testConnection();
    expect(checks.every((check) => check.ok)).toBe(true);
    const tokenCalls = emulator.server.calls.filter((call) => call.path.endsWith('/oauth2/v2.0/token'));
    expect(tokenCalls.map((call) => call.status)).toEqual([200]);
  });

  it('refuses a certificate the app does not know', async () => {
    const emulator = await emulatorWith({ clientSecret: CLIENT_SECRET });
    const certificates = testCertificates();
    const source = testSource(emulator, {
      clientSecret: undefined,
      certificate: new Secret(`${certificates.certPem}\n${certificates.keyPem}`, 'file:app.pem'),
    });
    const [token] = await source.testConnection();
    expect(token).toMatchObject({ name: 'token', ok: false });
    expect(token?.message).toMatch(/AADSTS700027/);
  });
});
