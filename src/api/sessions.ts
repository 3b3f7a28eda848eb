import { randomBytes } from 'node:crypto';
import { keys } from '../runs/keys.js';
import type { RedisConnection } from '../runs/redis/connection.js';
import { type Principal, sha256, type TokenBook } from './auth.js';

export const SESSION_COOKIE = 'dirsync_session';
const SESSION_SECONDS = 8 * 3600;

/**
 * Browser sessions of the dashboard, whose pages load assets and call its API without an
 * Authorization header. A session refers to its token by digest only, and ends when that token
 * leaves the configuration. Redis keeps only the digest of the session id, and per token the set
 * of its sessions, so that every session of a token can be ended at once.
 */
export class DashboardSessions {
  constructor(
    private readonly redis: RedisConnection,
    private readonly book: TokenBook,
  ) {}

  async open(principal: Principal): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const index = keys.tokenSessions(principal.tokenDigest);
    await this.redis
      .multi()
      .set(this.#key(id), principal.tokenDigest, 'EX', SESSION_SECONDS)
      .sadd(index, this.#key(id))
      .expire(index, SESSION_SECONDS)
      .exec();
    return id;
  }

  async principal(id: string): Promise<Principal | undefined> {
    const digest = await this.redis.get(this.#key(id));
    return digest ? this.book.byDigest(digest) : undefined;
  }

  async close(id: string): Promise<void> {
    await this.redis.del(this.#key(id));
  }

  /** Ends every session signed in with the principal's token; answers how many were open. */
  async closeAll(principal: Principal): Promise<number> {
    const index = keys.tokenSessions(principal.tokenDigest);
    const sessions = await this.redis.smembers(index);
    const ended = sessions.length > 0 ? await this.redis.del(...sessions) : 0;
    await this.redis.del(index);
    return ended;
  }

  #key(id: string): string {
    return keys.session(sha256(id).toString('hex'));
  }
}

/** The browser pages that sign in with a session: the queue dashboard and the support console. */
export type SessionPath = '/admin' | '/console';

/**
 * Scoped to the pages that signed in (the dashboard or the console), invisible to scripts, never
 * sent from another site, and only over TLS when the request came over TLS (directly or through a
 * trusted proxy that says so).
 */
export function sessionCookie(id: string, secure: boolean, path: SessionPath = '/admin'): string {
  return `${SESSION_COOKIE}=${id}; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}${secure ? '; Secure' : ''}`;
}

export function expiredSessionCookie(secure: boolean, path: SessionPath = '/admin'): string {
  return `${SESSION_COOKIE}=; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

/**
 * The token a console form carries besides the cookie: derived from the session id, which no other
 * page can read (the cookie is HttpOnly), so a forged form cannot know it.
 */
export function csrfTokenOf(sessionId: string): string {
  return sha256(`csrf:${sessionId}`).toString('base64url');
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
