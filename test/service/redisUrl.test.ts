import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/service/compositionRoot.js';
import { ensureDevCertificates } from '../support/devCertificates.js';
import { redisServerHasTls } from '../support/embeddedCluster.js';
import { type EmbeddedRedis, startEmbeddedRedis } from '../support/embeddedRedis.js';

const PASSWORD = 'url-password-5b1e90';
const TLS = redisServerHasTls();

/**
 * `redis.url` carries a production Redis's credentials and TLS itself: rediss:// with a user and
 * password, the server's certificate trusted as the process trusts any (here the development CA).
 */
describe(`redis.url with a password${TLS ? ' over TLS (rediss://)' : ''}`, () => {
  let redis: EmbeddedRedis;
  const urlWith = (credentials: string) => redis.url.replace(/\/\/[^@]*@/, `//${credentials}@`);

  beforeAll(async () => {
    const certificates = ensureDevCertificates(process.env.DIRSYNC_TEST_TLS_DIR!);
    redis = await startEmbeddedRedis({ password: PASSWORD, ...(TLS ? { tls: certificates } : {}) });
  });
  afterAll(() => redis?.stop());

  it('connects with the password, and with an ACL user and its password', async () => {
    if (TLS) expect(redis.url).toMatch(/^rediss:\/\//);
    const backend = await openBackend({ url: redis.url });
    try {
      await backend.redis.call('ACL', 'SETUSER', 'dirsync', 'on', '>user-password-77', '~*', '&*', '+@all');
      await backend.redis.set('dirsync-test:url', 'ok');
    } finally {
      await backend.close();
    }
    const asUser = await openBackend({ url: urlWith('dirsync:user-password-77') });
    try {
      expect(await asUser.redis.get('dirsync-test:url')).toBe('ok');
    } finally {
      await asUser.close();
    }
  });

  it('a wrong password fails at once naming redis.url, without the password', async () => {
    const attempt = openBackend({ url: urlWith(':wrong-password-31') });
    await expect(attempt).rejects.toThrow(
      "redis.url (or REDIS_URL): Redis refused the URL's user and password (WRONGPASS",
    );
    await expect(attempt).rejects.not.toThrow(/wrong-password-31/);
  });
});
