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

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** The roles that hold a permission, for error messages ("needs one of: supervisor, admin"). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => can(role, permission));
}
