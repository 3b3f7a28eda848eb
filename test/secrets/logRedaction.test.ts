import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The service's logger, as built, in a process of its own: every shape in which an HTTP client
 * or a handler might log request headers comes out with the credential replaced.
 */
const LOGGER = join(process.cwd(), 'dist', 'src', 'observability', 'logger.js');
const CREDENTIAL = 'Bearer log-token-Hj4redact3131';

const SHAPES: Readonly<Record<string, unknown>> = {
  'authorization at the top': { authorization: CREDENTIAL },
  'headers.authorization': { headers: { authorization: CREDENTIAL, accept: 'application/json' } },
  'headers.Authorization': { headers: { Authorization: CREDENTIAL } },
  'req.headers.authorization': { req: { method: 'GET', headers: { authorization: CREDENTIAL } } },
  'request.headers.Authorization': { request: { headers: { Authorization: CREDENTIAL } } },
  'response.request.headers.authorization': {
    response: { status: 401, request: { headers: { authorization: CREDENTIAL } } },
  },
  'a token field': { tenant: 'acme', token: CREDENTIAL },
  'a clientSecret in a source': { source: { clientSecret: CREDENTIAL } },
};

function logged(shape: unknown): string {
  const script = `
    const { createLogger } = await import(${JSON.stringify(LOGGER)});
    const logger = createLogger({ destination: 1, level: 'info' });
    logger.info(${JSON.stringify(shape)}, 'request sent');
    logger.flush();`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the logger process failed: ${result.stderr}`);
  return result.stdout;
}

describe('createLogger redacts credentials', () => {
  it.each(Object.entries(SHAPES))('%s', (_name, shape) => {
    const line = logged(shape);
    expect(line).toContain('"msg":"request sent"');
    expect(line).toContain('[redacted]');
    expect(line).not.toContain('log-token-Hj4redact3131');
  });
});
