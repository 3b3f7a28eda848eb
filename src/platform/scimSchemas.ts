/** The schema URNs of RFC 7643/7644 that the client and the emulator speak. */
export const CORE_USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SERVICE_PROVIDER_CONFIG_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** Core schema prefixes on attribute paths are optional (`urn:...:core:2.0:User:userName` = `userName`). */
export function isCoreSchema(urn: string): boolean {
  const lower = urn.toLowerCase();
  return lower === CORE_USER_URN.toLowerCase() || lower === CORE_GROUP_URN.toLowerCase();
}
