/**
 * Who may do what. Roles are fixed; each route names the permission it needs and the guard asks
 * `can`. Ownership rules (an agent works the cases they own) are checked by the case workflow.
 */
export const ROLES = ['agent', 'supervisor', 'executive', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Read cases, their posts, replies, commitments and events. */
  'cases:read',
  /** Claim, reply, set fault, promise, resolve: the care work on a case. */
  'cases:work',
  /** Hand over any case, work cases owned by others, own escalations. */
  'cases:supervise',
  /** Read the team: names, roles, shifts, capacities. */
  'users:read',
  /** Create users, change roles, issue tokens for anyone. */
  'users:manage',
  /** Put agents on or off shift and set their capacity. */
  'users:schedule',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  agent: ['cases:read', 'cases:work', 'users:read'],
  supervisor: ['cases:read', 'cases:work', 'cases:supervise', 'users:read', 'users:schedule'],
  executive: ['cases:read', 'users:read'],
  admin: ['cases:read', 'cases:work', 'cases:supervise', 'users:read', 'users:manage', 'users:schedule'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** The roles that hold a permission, for error messages ("needs one of: supervisor, admin"). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => can(role, permission));
}

/** The fields of a user that can change, and who may change them. */
export type UserField = 'name' | 'role' | 'onShift' | 'capacity';

/**
 * The permission a caller lacks to change these fields of a user, or null when they may. Names and
 * roles are managed; shifts and capacities are scheduled, except that anyone who works cases
 * goes on or off shift themselves.
 */
export function missingPermissionToChangeUser(caller: { id: string; role: Role }, userId: string, fields: readonly UserField[]): Permission | null {
  if ((fields.includes('name') || fields.includes('role')) && !can(caller.role, 'users:manage')) return 'users:manage';
  const ownShiftOnly = userId === caller.id && can(caller.role, 'cases:work') && fields.every((field) => field === 'onShift');
  if ((fields.includes('onShift') || fields.includes('capacity')) && !ownShiftOnly && !can(caller.role, 'users:schedule')) return 'users:schedule';
  return null;
}

/** The permission a caller lacks to issue or revoke a user's tokens (their own need none), or null. */
export function missingPermissionForTokens(caller: { id: string; role: Role }, userId: string): Permission | null {
  return userId === caller.id || can(caller.role, 'users:manage') ? null : 'users:manage';
}
