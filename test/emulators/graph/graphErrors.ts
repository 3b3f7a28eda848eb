import { randomUUID } from 'node:crypto';
import type { EmulatedResponse } from '../https/httpsServer.js';

/** An answer in Graph's error envelope: `{ error: { code, message, innerError } }`. */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers?: Readonly<Record<string, string>>,
): EmulatedResponse {
  const requestId = randomUUID();
  return {
    status,
    ...(headers ? { headers } : {}),
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString(),
          'request-id': requestId,
          'client-request-id': requestId,
        },
      },
    },
  };
}

export function notFound(id: string): EmulatedResponse {
  return graphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function throttled(retryAfterSeconds: number): EmulatedResponse {
  return graphError(
    429,
    'TooManyRequests',
    'Too many requests. Please retry after the time given in the Retry-After header.',
    { 'retry-after': String(retryAfterSeconds) },
  );
}
