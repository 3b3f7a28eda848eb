import { createPublicKey, type JsonWebKey, type KeyObject, randomBytes, verify } from 'node:crypto';
import type { EmulatedRequest, EmulatedResponse } from '../https/httpsServer.js';
import type { EmulatorClock } from './clock.js';
import { json, oauthError } from './responses.js';

export interface OAuthClientRegistration {
  readonly clientId: string;
  /** The public half of the service app's key pair (PEM), as registered in the Okta app. */
  readonly publicKeyPem: string;
  /** Scopes granted to the service app; defaults to every scope the emulator knows. */
  readonly grantedScopes?: readonly string[];
}

export interface AccessGrant {
  readonly scopes: ReadonlySet<string>;
  readonly expiresAt: number;
}

const TOKEN_LIFETIME_S = 3600;

interface JwtParts {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signedText: string;
  readonly signature: Buffer;
}

/**
 * The org authorization server's token endpoint for a service app (client credentials with a
 * private key JWT client assertion). The SDK also sends a DPoP proof with every token request;
 * it is verified when present, and, as for an app that does not require DPoP, a Bearer token
 * is issued.
 */
export class OAuthTokenEndpoint {
  readonly #grants = new Map<string, AccessGrant>();

  constructor(
    private readonly client: OAuthClientRegistration | undefined,
    private readonly defaultScopes: readonly string[],
    private readonly clock: EmulatorClock,
  ) {}

  grantFor(accessToken: string): AccessGrant | undefined {
    const grant = this.#grants.get(accessToken);
    return grant && grant.expiresAt > this.clock.now() ? grant : undefined;
  }

  handle(request: EmulatedRequest): EmulatedResponse {
    const form = new URLSearchParams(request.rawBody);
    const tokenUrl = `${request.url.origin}/oauth2/v1/token`;
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported here.');
    }
    const problem =
      this.#clientAssertionProblem(form, tokenUrl) ?? dpopProblem(request.headers.dpop, tokenUrl);
    if (problem) return problem;
    const granted = new Set(this.client?.grantedScopes ?? this.defaultScopes);
    const requested = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
    const refused = requested.filter((scope) => !granted.has(scope));
    if (requested.length === 0 || refused.length > 0) {
      return oauthError(400, 'invalid_scope', `The following scopes are not granted: ${refused.join(' ')}`);
    }
    const accessToken = randomBytes(24).toString('base64url');
    this.#grants.set(accessToken, {
      scopes: new Set(requested),
      expiresAt: this.clock.now() + TOKEN_LIFETIME_S * 1000,
    });
    return json({
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
      access_token: accessToken,
      scope: requested.join(' '),
    });
  }

  #clientAssertionProblem(form: URLSearchParams, tokenUrl: string): EmulatedResponse | undefined {
    const invalid = (why: string) => oauthError(401, 'invalid_client', why);
    if (!this.client) return invalid('No service app is registered in this org.');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return invalid('A private key JWT client assertion is required.');
    }
    const jwt = splitJwt(form.get('client_assertion') ?? '');
    if (!jwt) return invalid('The client_assertion is not a JWT.');
    const { iss, sub, aud, exp } = jwt.payload;
    if (iss !== this.client.clientId || sub !== this.client.clientId) {
      return invalid('The client_assertion iss and sub must be the client id.');
    }
    if (aud !== tokenUrl) return invalid(`The client_assertion aud must be ${tokenUrl}.`);
    // The assertion is stamped by the client's wall clock, not by the emulated org's.
    if (typeof exp !== 'number' || exp * 1000 < Date.now()) return invalid('The client_assertion expired.');
    if (!verifySignature(jwt, createPublicKey(this.client.publicKeyPem))) {
      return invalid('The client_assertion signature does not match the registered key.');
    }
    return undefined;
  }
}

function dpopProblem(header: string | string[] | undefined, tokenUrl: string): EmulatedResponse | undefined {
  if (header === undefined) return undefined;
  const invalid = (why: string) => oauthError(400, 'invalid_dpop_proof', why);
  const jwt = typeof header === 'string' ? splitJwt(header) : undefined;
  const jwk = jwt?.header.jwk;
  if (jwt?.header.typ !== 'dpop+jwt' || typeof jwk !== 'object' || jwk === null) {
    return invalid('The DPoP proof is not a dpop+jwt with a jwk.');
  }
  if (jwt.payload.htm !== 'POST' || jwt.payload.htu !== tokenUrl) {
    return invalid('The DPoP proof does not name this request.');
  }
  const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  return verifySignature(jwt, key) ? undefined : invalid('The DPoP proof signature is invalid.');
}

function splitJwt(text: string): JwtParts | undefined {
  const [header, payload, signature] = text.split('.');
  if (!header || !payload || signature === undefined) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
      payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>,
      signedText: `${header}.${payload}`,
      signature: Buffer.from(signature, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

function verifySignature(jwt: JwtParts, key: KeyObject): boolean {
  const data = Buffer.from(jwt.signedText);
  switch (jwt.header.alg) {
    case 'RS256':
      return verify('RSA-SHA256', data, key, jwt.signature);
    case 'ES256':
      return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, jwt.signature);
    default:
      return false;
  }
}
