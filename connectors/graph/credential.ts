import {
  ClientCertificateCredential,
  ClientSecretCredential,
  type ClientSecretCredentialOptions,
  type TokenCredential,
} from '@azure/identity';
import type { GraphSourceConfig } from '../../src/config/load.js';
import { retryAfterMs } from '../../src/http/retryAfter.js';
import type { CallCounter } from '../../src/model/source.js';

/**
 * The app-only credential (client secret or certificate) against `config.authorityHost`. Instance
 * discovery is off so that national clouds and the emulator work; every request to the login
 * endpoint (discovery, token) is counted, and its throttling waits too.
 */
export function createGraphCredential(config: GraphSourceConfig, counter: CallCounter): TokenCredential {
  const options = {
    authorityHost: config.authorityHost,
    disableInstanceDiscovery: true,
    retryOptions: { maxRetries: 8 },
    additionalPolicies: [{ policy: countingPolicy(counter), position: 'perRetry' as const }],
  };
  if (config.certificate) {
    return new ClientCertificateCredential(
      config.tenantId,
      config.clientId,
      { certificate: config.certificate.reveal() },
      options,
    );
  }
  if (config.clientSecret) {
    return new ClientSecretCredential(
      config.tenantId,
      config.clientId,
      config.clientSecret.reveal(),
      options,
    );
  }
  throw new Error('graph source: neither clientSecret nor certificatePath is configured');
}

/** The token scope for Graph: its origin's `.default` (app permissions consented for the app). */
export function graphTokenScope(config: GraphSourceConfig): string {
  return `${new URL(config.graphBaseUrl).origin}/.default`;
}

type PipelinePolicy = NonNullable<ClientSecretCredentialOptions['additionalPolicies']>[number]['policy'];

function countingPolicy(counter: CallCounter): PipelinePolicy {
  return {
    name: 'dirsyncCallCounter',
    async sendRequest(request, next) {
      counter.call('source');
      const response = await next(request);
      if (response.status === 429 || response.status === 503) {
        counter.throttled('source', retryAfterMs(response.headers.get('retry-after')) ?? 0);
      }
      return response;
    },
  };
}
