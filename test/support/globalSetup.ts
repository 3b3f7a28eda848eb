import { join } from 'node:path';
import { ensureDevCertificates } from './devCertificates.js';
import { startEmbeddedRedis } from './embeddedRedis.js';

/**
 * Runs once before the suite: a private Redis (unless REDIS_URL is set) and the development CA.
 * The environment set here is inherited by the test worker processes, which is how the real SDKs
 * in them come to trust the emulators' certificates (NODE_EXTRA_CA_CERTS is read at start-up).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const certificates = ensureDevCertificates(join(process.cwd(), '.tmp', 'tls'));
  process.env.NODE_EXTRA_CA_CERTS = certificates.caFile;
  process.env.DIRSYNC_TEST_TLS_DIR = join(process.cwd(), '.tmp', 'tls');
  if (process.env.REDIS_URL) return async () => {};
  const redis = await startEmbeddedRedis();
  process.env.REDIS_URL = redis.url;
  return () => redis.stop();
}
