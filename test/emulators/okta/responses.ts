import { randomBytes } from 'node:crypto';
import type { EmulatedResponse } from '../https/httpsServer.js';

/** Okta's error body: `{ errorCode, errorSummary, errorLink, errorId, errorCauses }`. */
export function oktaError(
  status: number,
  errorCode: string,
  errorSummary: string,
  headers: Readonly<Record<string, string>> = {},
): EmulatedResponse {
  return {
    status,
    headers,
    body: {
      errorCode,
      errorSummary,
      errorLink: errorCode,
      errorId: `oae${randomBytes(11).toString('base64url')}`,
      errorCauses: [],
    },
  };
}

export const notFound = (id: string, type: string) =>
  oktaError(404, 'E0000007', `Not found: Resource not found: ${id} (${type})`);

export const invalidToken = () => oktaError(401, 'E0000011', 'Invalid token provided');

export const forbidden = (headers: Readonly<Record<string, string>> = {}) =>
  oktaError(403, 'E0000006', 'You do not have permission to perform the requested action', headers);

export const invalidSearch = (reason: string) =>
  oktaError(400, 'E0000031', `Invalid search criteria. ${reason}`);

export const rateLimited = (headers: Readonly<Record<string, string>>) =>
  oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.', headers);

/** An OAuth 2.0 error of the token endpoint (RFC 6749 §5.2), not Okta's API error shape. */
export function oauthError(status: number, error: string, description: string): EmulatedResponse {
  return { status, body: { error, error_description: description } };
}

export function json(body: unknown, headers: Readonly<Record<string, string>> = {}): EmulatedResponse {
  return { status: 200, body, headers };
}
