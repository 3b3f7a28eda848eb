import type { Failure } from '../model/failure.js';
import { isTransientNetworkError } from './networkErrors.js';

/**
 * Node's words for a server that cannot be reached or trusted. They are matched in the message too,
 * because the Graph SDK hands on a transport failure's message but not its code.
 */
const UNREACHABLE =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|CERT_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\b|self[- ]signed certificate|unable to verify/i;

/** What Entra's credentials (`@azure/identity`) throw when the token service refuses to sign in. */
const SIGN_IN_REFUSED: ReadonlySet<string> = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'AggregateAuthenticationError',
]);

/**
 * A call that got no HTTP answer, to the source or the platform. A connection that could not be
 * made once the retries were spent is an unreachable server; a refused sign-in (the credential's error name, which the Graph SDK
 * passes on as its code) is a credentials problem; anything else may pass on its own.
 */
export function failureWithoutAnswer(error: unknown): Failure {
  const { name, code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (
    isTransientNetworkError(error) ||
    (typeof code === 'string' && UNREACHABLE.test(code)) ||
    (typeof message === 'string' && UNREACHABLE.test(message))
  ) {
    return { class: 'fatal', cause: 'unreachable' };
  }
  if (SIGN_IN_REFUSED.has(String(name)) || SIGN_IN_REFUSED.has(String(code))) {
    return { class: 'fatal', cause: 'credentials' };
  }
  return { class: 'transient' };
}
