import { createPublicKey, constants as cryptoConstants, randomBytes, verify } from 'node:crypto';
import type { EmulatedRequest, EmulatedResponse, Route } from '../https/httpsServer.js';

/**
 * Entra's v2.0 endpoints as MSAL (inside @azure/identity) uses them for app-only tokens: OIDC
 * discovery and the token endpoint with client_credentials, by client secret or certificate
 * assertion. Access tokens are opaque here but shaped like JWTs, and checked by `AccessTokens`.
 */
export interface LoginSettings {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** PEM of the app's certificate: client assertions must be signed by its key. */
  readonly clientCertificatePem?: string;
  readonly tokenLifetimeSeconds: number;
  /** The emulator's origin, for the endpoints discovery announces. */
  readonly origin: () => string;
}

interface IssuedToken {
  readonly expiresAt: number;
}

export type TokenVerdict = 'ok' | 'missing' | 'invalid' | 'expired';

export class AccessTokens {
  readonly #issued = new Map<string, IssuedToken>();

  issue(lifetimeSeconds: number, claims: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'none' };
    const payload = { ...claims, iat: now, nbf: now, exp: now + lifetimeSeconds };
    const token = [header, payload]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .concat(randomBytes(16).toString('base64url'))
      .join('.');
    this.#issued.set(token, { expiresAt: Date.now() + lifetimeSeconds * 1000 });
    return token;
  }

  check(authorization: string | undefined): TokenVerdict {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return 'missing';
    const issued = this.#issued.get(token);
    if (!issued) return 'invalid';
    return issued.expiresAt > Date.now() ? 'ok' : 'expired';
  }

  /** Token-expiry injection: every token issued so far is refused from now on. */
  expireAll(): void {
    for (const [token] of this.#issued) this.#issued.set(token, { expiresAt: 0 });
  }
}

export function loginRoutes(settings: LoginSettings, tokens: AccessTokens): Route[] {
  return [
    {
      method: 'GET',
      pattern: ':tenant/v2.0/.well-known/openid-configuration',
      handler: (request) => discovery(settings, request),
    },
    {
      method: 'POST',
      pattern: ':tenant/oauth2/v2.0/token',
      handler: (request) => tokenRequest(settings, tokens, request),
    },
  ];
}

function discovery(settings: LoginSettings, request: EmulatedRequest): EmulatedResponse {
  const tenant = request.params.tenant ?? '';
  if (tenant !== settings.tenantId) return tenantNotFound(tenant);
  const authority = `${settings.origin()}/${tenant}`;
  return {
    status: 200,
    body: {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${authority}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${settings.origin()}/oidc/userinfo`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
      kerberos_endpoint: `${authority}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    },
  };
}

function tokenRequest(
  settings: LoginSettings,
  tokens: AccessTokens,
  request: EmulatedRequest,
): EmulatedResponse {
  const tenant = request.params.tenant ?? '';
  if (tenant !== settings.tenantId) return tenantNotFound(tenant);
  const form = new URLSearchParams(request.rawBody);
  if (form.get('grant_type') !== 'client_credentials') {
    return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  }
  const clientId = form.get('client_id');
  if (clientId !== settings.clientId) {
    return aadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
    );
  }
  const scope = form.get('scope') ?? '';
  const resource = scope.split(' ').find((item) => item.endsWith('/.default'));
  if (resource === undefined) {
    return aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid.`);
  }
  const refusal = authenticateClient(settings, form, tenant);
  if (refusal) return refusal;
  const lifetime = settings.tokenLifetimeSeconds;
  const accessToken = tokens.issue(lifetime, {
    aud: resource.slice(0, -'/.default'.length),
    iss: `${settings.origin()}/${tenant}/v2.0`,
    appid: clientId,
    tid: tenant,
  });
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken },
  };
}

function authenticateClient(
  settings: LoginSettings,
  form: URLSearchParams,
  tenant: string,
): EmulatedResponse | undefined {
  const secret = form.get('client_secret');
  if (secret !== null) {
    if (settings.clientSecret !== undefined && secret === settings.clientSecret) return undefined;
    return aadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${settings.clientId}'.`,
    );
  }
  const assertion = form.get('client_assertion');
  if (assertion !== null) {
    const problem = assertionProblem(settings, assertion, tenant);
    if (problem === undefined) return undefined;
    return aadError(
      401,
      'invalid_client',
      700027,
      `Client assertion failed signature validation. ${problem}`,
    );
  }
  return aadError(
    401,
    'invalid_client',
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  );
}

/** Why a client assertion is refused, or undefined when it is a valid JWT signed by the app's certificate. */
function assertionProblem(settings: LoginSettings, assertion: string, tenant: string): string | undefined {
  if (settings.clientCertificatePem === undefined) return 'No certificate is registered for the app.';
  const [headerText = '', payloadText = '', signatureText = ''] = assertion.split('.');
  let header: { alg?: string };
  let payload: { iss?: string; sub?: string; aud?: string; exp?: number };
  try {
    header = JSON.parse(Buffer.from(headerText, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(payloadText, 'base64url').toString('utf8'));
  } catch {
    return 'The assertion is not a JWT.';
  }
  const key = createPublicKey(settings.clientCertificatePem);
  const signed = Buffer.from(`${headerText}.${payloadText}`);
  const signature = Buffer.from(signatureText, 'base64url');
  const valid =
    header.alg === 'RS256'
      ? verify('sha256', signed, key, signature)
      : header.alg === 'PS256'
        ? verify(
            'sha256',
            signed,
            { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
            signature,
          )
        : false;
  if (!valid) return `Signature (${header.alg}) does not verify with the registered certificate.`;
  if (payload.iss !== settings.clientId || payload.sub !== settings.clientId)
    return 'iss and sub must be the client id.';
  if (!payload.aud?.includes(`/${tenant}/`)) return 'aud must be the token endpoint.';
  if ((payload.exp ?? 0) * 1000 < Date.now()) return 'The assertion has expired.';
  return undefined;
}

function tenantNotFound(tenant: string): EmulatedResponse {
  return aadError(
    400,
    'invalid_request',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
}

function aadError(status: number, error: string, code: number, description: string): EmulatedResponse {
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description}`,
      error_codes: [code],
      timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19),
      trace_id: randomBytes(16).toString('hex'),
      correlation_id: randomBytes(16).toString('hex'),
    },
  };
}
