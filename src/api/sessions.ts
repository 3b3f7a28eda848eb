import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keys } from '../runs/keys.js';
import { type Principal, sha256, type TokenBook } from './auth.js';

export const SESSION_COOKIE = 'dirsync_session';
const SESSION_SECONDS = 8 * 3600;

/**
 * Browser sessions of the dashboard, whose pages load assets and call its API without an
 * Authorization header. A session refers to its token by digest only, and ends when that token
 * leaves the configuration. Redis keeps only the digest of the session id.
 */
export class DashboardSessions {
  constructor(
    private readonly redis: Redis,
    private readonly book: TokenBook,
  ) {}

  async open(principal: Principal): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.redis.set(this.#key(id), principal.tokenDigest, 'EX', SESSION_SECONDS);
    return id;
  }

  async principal(id: string): Promise<Principal | undefined> {
    const digest = await this.redis.get(this.#key(id));
    return digest ? this.book.byDigest(digest) : undefined;
  }

  async close(id: string): Promise<void> {
    await this.redis.del(this.#key(id));
  }

  #key(id: string): string {
    return keys.session(sha256(id).toString('hex'));
  }
}

/** Scoped to the dashboard's paths, invisible to scripts, never sent from another site. */
export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}`;
}

export function expiredSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
