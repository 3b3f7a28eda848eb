/** One running role of the service (worker, scheduler, api): stopping lets work in hand finish. */
export interface Role {
  readonly name: RoleName;
  stop(): Promise<void>;
}

export const ROLE_NAMES = ['worker', 'scheduler', 'api'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
export type RoleChoice = RoleName | 'all';

export function rolesOf(choice: RoleChoice): readonly RoleName[] {
  return choice === 'all' ? ROLE_NAMES : [choice];
}

export function isRoleChoice(value: string): value is RoleChoice {
  return value === 'all' || (ROLE_NAMES as readonly string[]).includes(value);
}
