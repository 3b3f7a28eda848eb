import { ERROR_URN, SCIM_CONTENT_TYPE } from '../../../src/platform/scimSchemas.js';
import type { EmulatedResponse } from '../https/httpsServer.js';

/** A request the emulator refuses, answered in the SCIM error envelope (RFC 7644 §3.12). */
export class ScimError extends Error {
  override readonly name = 'ScimError';
  constructor(
    readonly status: number,
    readonly scimType: string | undefined,
    detail: string,
  ) {
    super(detail);
  }
}

export function scimErrorResponse(
  status: number,
  scimType: string | undefined,
  detail: string,
): EmulatedResponse {
  return {
    status,
    headers: { 'content-type': SCIM_CONTENT_TYPE },
    body: { schemas: [ERROR_URN], status: String(status), ...(scimType && { scimType }), detail },
  };
}
