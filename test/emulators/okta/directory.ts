/** Okta user statuses, every one the emulator can hold. */
export const OKTA_USER_STATUSES = [
  'ACTIVE',
  'STAGED',
  'PROVISIONED',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
  'DEPROVISIONED',
] as const;
export type OktaUserStatus = (typeof OKTA_USER_STATUSES)[number];

/** A directory to load into the emulator: plain data, as `generateOktaOrg` makes it. */
export interface OktaDirectory {
  readonly users: readonly SeedUser[];
  readonly groups: readonly SeedGroup[];
  readonly apps: readonly SeedApp[];
}

export interface SeedUser {
  readonly id: string;
  readonly status: OktaUserStatus;
  /** Okta profile attributes: login, firstName, lastName, email, displayName, title, … */
  readonly profile: Readonly<Record<string, string>>;
}

export interface SeedGroup {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly memberIds: readonly string[];
}

export interface SeedApp {
  readonly id: string;
  readonly label: string;
  /** Users assigned directly (AppUser scope USER). */
  readonly userIds: readonly string[];
  /** Groups assigned to the app; their members get it with scope GROUP. */
  readonly groupIds: readonly string[];
}

/** Okta-shaped ids: a three-character type prefix and 17 alphanumerics. */
export function oktaId(prefix: '00u' | '00g' | '0oa', serial: number): string {
  return `${prefix}${serial.toString(36).padStart(17, '0')}`;
}
