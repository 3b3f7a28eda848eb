import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken } from '../config/load.js';

export type Role = ApiToken['role'];

/** Who is calling: the role and tenants of the configured token they presented. */
export interface Principal {
  /** The token's configured label: what logs and the audit log name, never the token. */
  readonly label: string;
  readonly role: Role;
  readonly tenants: readonly string[];
  /** sha256 of the token, hex: how a dashboard session refers to it without holding it. */
  readonly tokenDigest: string;
}

/** What a route needs: `read` (any role) or `write` (operators); `tenant` routes check the token's tenants. */
export interface Requirement {
  readonly access: 'read' | 'write';
  /** A tenant id, 'all' for routes that show every tenant (metrics, dashboard); absent: any token's tenants. */
  readonly scope?: string;
}

export type Verdict = 'allowed' | 'wrongRole' | 'wrongTenant';

/**
 * The configured API tokens. A presented token is compared with every one of them in constant
 * time, over sha256 digests so that lengths do not leak either; tokens are never kept in the clear.
 */
export class TokenBook {
  readonly #entries: readonly { readonly digest: Buffer; readonly principal: Principal }[];

  constructor(tokens: readonly ApiToken[]) {
    this.#entries = tokens.map((token) => {
      const digest = sha256(token.token.reveal());
      return {
        digest,
        principal: {
          label: token.label,
          role: token.role,
          tenants: token.tenants,
          tokenDigest: digest.toString('hex'),
        },
      };
    });
  }

  identify(presented: string): Principal | undefined {
    // Configured tokens are never empty; an empty one presented is refused before any comparison.
    return presented === '' ? undefined : this.#find(sha256(presented));
  }

  /** The principal of a token known by its digest (a dashboard session); none once the token is removed. */
  byDigest(hex: string): Principal | undefined {
    const digest = Buffer.from(hex, 'hex');
    return digest.length === 32 ? this.#find(digest) : undefined;
  }

  #find(digest: Buffer): Principal | undefined {
    let found: Principal | undefined;
    for (const entry of this.#entries) {
      // Every entry is compared, whatever matched before: the time taken says nothing.
      if (timingSafeEqual(entry.digest, digest)) found ??= entry.principal;
    }
    return found;
  }
}

export function judge(principal: Principal, requirement: Requirement): Verdict {
  if (requirement.access === 'write' && principal.role !== 'operator') return 'wrongRole';
  if (requirement.scope === undefined || principal.tenants.includes('*')) return 'allowed';
  return requirement.scope !== 'all' && principal.tenants.includes(requirement.scope)
    ? 'allowed'
    : 'wrongTenant';
}

export function canSee(principal: Principal, tenant: string): boolean {
  return judge(principal, { access: 'read', scope: tenant }) === 'allowed';
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

const AUTHORIZATION = /^(bearer|basic) +([^\s]+)$/i;

/**
 * The token of an `Authorization` header: `Bearer <token>`, or Basic auth with the token as
 * password. Absent header: undefined. Anything else, such as `Bearer <token> junk`, an unknown
 * scheme or Basic without a password: '' (a token no configuration holds), never a lenient guess.
 */
export function tokenFromAuthorization(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = AUTHORIZATION.exec(header.trim());
  if (!match) return '';
  const [, scheme, value = ''] = match;
  if (scheme?.toLowerCase() === 'bearer') return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : '';
}
