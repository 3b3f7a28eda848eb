import { PlatformError } from '../model/platform.js';

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

/** The run's tenant lease is no longer its own: another run may be under way, so this one stops. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(reason: string) {
    super(`lease lost: ${reason}; the run stopped at its next step`);
  }
}
