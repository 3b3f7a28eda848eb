import type { AccessToken, TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { AccessTokenCache } from '../../../connectors/graph/accessTokenCache.js';

const MINUTE = 60_000;

/** A credential that issues numbered tokens, each valid for an hour from the clock's time. */
function countingCredential(clock: { now: number }, refreshAfterMs?: number) {
  let issued = 0;
  const credential: TokenCredential = {
    async getToken(): Promise<AccessToken> {
      issued++;
      return {
        token: `token-${issued}`,
        expiresOnTimestamp: clock.now + 60 * MINUTE,
        ...(refreshAfterMs !== undefined && { refreshAfterTimestamp: clock.now + refreshAfterMs }),
      };
    },
  };
  return { credential, issued: () => issued };
}

describe('AccessTokenCache', () => {
  it('signs in once for many requests, parallel first ones included', async () => {
    const clock = { now: 0 };
    const { credential, issued } = countingCredential(clock);
    const cache = new AccessTokenCache(credential, 'scope', () => clock.now);
    const first = await Promise.all([cache.token(), cache.token(), cache.token()]);
    clock.now += 30 * MINUTE;
    expect([...first, await cache.token()]).toEqual(['token-1', 'token-1', 'token-1', 'token-1']);
    expect(issued()).toBe(1);
  });

  it('renews five minutes before expiry, not after', async () => {
    const clock = { now: 0 };
    const { credential } = countingCredential(clock);
    const cache = new AccessTokenCache(credential, 'scope', () => clock.now);
    await cache.token();
    clock.now = 55 * MINUTE - 1;
    expect(await cache.token()).toBe('token-1');
    clock.now = 55 * MINUTE;
    expect(await cache.token()).toBe('token-2');
  });

  it('renews when the token service asks for it earlier', async () => {
    const clock = { now: 0 };
    const { credential } = countingCredential(clock, 10 * MINUTE);
    const cache = new AccessTokenCache(credential, 'scope', () => clock.now);
    await cache.token();
    clock.now = 10 * MINUTE;
    expect(await cache.token()).toBe('token-2');
  });

  it('tries again after a failed sign-in instead of keeping the failure', async () => {
    let calls = 0;
    const credential: TokenCredential = {
      async getToken() {
        calls++;
        if (calls === 1) throw new Error('AADSTS7000215: invalid client secret');
        return { token: 'token-ok', expiresOnTimestamp: Date.now() + 60 * MINUTE };
      },
    };
    const cache = new AccessTokenCache(credential, 'scope');
    await expect(cache.token()).rejects.toThrow(/invalid client secret/);
    expect(await cache.token()).toBe('token-ok');
  });
});
