import { isTransientNetworkError } from '../../src/http/networkErrors.js';
import type { Failure } from '../../src/model/failure.js';

/**
 * Node's words for a server that cannot be reached or trusted. They are matched in the message too,
 * because the Graph SDK hands on a transport failure's message but not its code.
 */
const UNREACHABLE =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|CERT_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\b|self[- ]signed certificate|unable to verify/i;

/**
 * A call that got no HTTP answer. A refused sign-in (Entra's `AuthenticationError`, which the
 * Graph SDK passes on as its code) is a credentials problem; a connection that could not be made
 * once the retries were spent is an unreachable source; anything else may pass on its own.
 */
export function failureWithoutAnswer(error: unknown): Failure {
  const { name, code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (name === 'AuthenticationError' || code === 'AuthenticationError') {
    return { class: 'fatal', cause: 'credentials' };
  }
  if (
    isTransientNetworkError(error) ||
    (typeof code === 'string' && UNREACHABLE.test(code)) ||
    (typeof message === 'string' && UNREACHABLE.test(message))
  ) {
    return { class: 'fatal', cause: 'unreachable' };
  }
  return { class: 'transient' };
}
