/** The read-only OAuth scopes dirsync needs; each is probed by testConnection. */
export const OKTA_READ_SCOPES = [
  'okta.users.read',
  'okta.groups.read',
  'okta.apps.read',
  'okta.logs.read',
] as const;
