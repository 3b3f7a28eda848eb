import { ConfigError } from '../config/errors.js';
import type { RecordedFailure } from '../model/failure.js';
import { PlatformError } from '../model/platform.js';
import { UpstreamError } from '../model/upstream.js';

/**
 * The reason an operator reads in a run record or the provisioning log. Clients never put
 * credentials in their errors; this only trims what would bury the reason.
 */
export function describeError(error: unknown): string {
  if (error instanceof PlatformError) return `platform answered ${error.status}: ${error.message}`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const text = error.message.split('\n')[0] ?? error.name;
    return code && !text.includes(code) ? `${text} (${code})` : text;
  }
  return String(error);
}

/**
 * What a failure means for the tenant (README, "Failure classes"): a platform's or a source's as it
 * was classified where it was answered; a configuration found wanting at run time is fatal, since
 * the next run finds it wanting too; a lost lease passes with the run that holds it now; anything
 * else is a fault of dirsync's own, `internal`, which must not quarantine a tenant.
 */
export function recordedFailureOf(error: unknown): RecordedFailure {
  if (error instanceof UpstreamError) return error.failure;
  if (error instanceof ConfigError) return { class: 'fatal', cause: 'configuration' };
  if (error instanceof LeaseLostError) return { class: 'transient' };
  return { class: 'internal' };
}

/** The run's tenant lease is no longer its own: another run may be under way, so this one stops. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(reason: string) {
    super(`lease lost: ${reason}; the run stopped at its next step`);
  }
}
