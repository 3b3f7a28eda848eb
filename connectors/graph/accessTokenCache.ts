import type { AccessToken, TokenCredential } from '@azure/identity';

/** Tokens are renewed this long before they expire, so no request leaves with one about to lapse. */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * One access token for every Graph request until it is due for renewal, as Azure's own SDK
 * pipelines do. Asking the credential per request runs MSAL's whole acquisition path (authority,
 * cache lookup, logging) hundreds of times per read; parallel first requests share one sign-in.
 */
export class AccessTokenCache {
  #current: AccessToken | undefined;
  #pending: Promise<string> | undefined;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
    private readonly now: () => number = Date.now,
  ) {}

  token(): Promise<string> {
    const current = this.#current;
    if (current !== undefined && this.now() < renewalDue(current)) return Promise.resolve(current.token);
    this.#pending ??= this.#acquire().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #acquire(): Promise<string> {
    const token = await this.credential.getToken(this.scope);
    if (!token) throw new Error('no access token was returned for the Graph scope');
    this.#current = token;
    return token.token;
  }
}

function renewalDue(token: AccessToken): number {
  const beforeExpiry = token.expiresOnTimestamp - RENEW_BEFORE_EXPIRY_MS;
  return token.refreshAfterTimestamp === undefined
    ? beforeExpiry
    : Math.min(token.refreshAfterTimestamp, beforeExpiry);
}
