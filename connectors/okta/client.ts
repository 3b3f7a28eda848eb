import { Client } from '@okta/okta-sdk-nodejs';
import type { OktaSourceConfig } from '../../src/config/load.js';
import { OKTA_READ_SCOPES } from './scopes.js';
import type { PacedRequestExecutor } from './throttling.js';

/**
 * The SDK Client, configured only from the tenant's config. The SDK's ConfigLoader merges
 * ~/.okta/okta.yaml, ./okta.yaml and OKTA_CLIENT_* environment variables under what it is given,
 * so every field it reads is passed explicitly (empty when unused) and none can leak in.
 * The default cache middleware would serve single GETs from memory forever: it is switched off.
 */
export function createOktaClient(config: OktaSourceConfig, requestExecutor: PacedRequestExecutor): Client {
  const orgUrl = config.orgUrl.replace(/\/+$/, '');
  const privateKeyMode = config.token === undefined;
  const client = new Client({
    orgUrl,
    authorizationMode: privateKeyMode ? 'PrivateKey' : 'SSWS',
    token: config.token?.reveal() ?? '',
    clientId: privateKeyMode ? (config.clientId ?? '') : '',
    privateKey: privateKeyMode ? (config.privateKey?.reveal() ?? '') : '',
    keyId: privateKeyMode ? (config.keyId ?? '') : '',
    scopes: privateKeyMode ? [...OKTA_READ_SCOPES] : [],
    cacheMiddleware: null,
    requestExecutor,
  });
  if (client.baseUrl !== orgUrl) {
    throw new Error(`the Okta SDK resolved orgUrl to ${client.baseUrl} instead of ${orgUrl}`);
  }
  return client;
}
