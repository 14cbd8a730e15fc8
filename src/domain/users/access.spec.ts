import { can, missingPermissionForTokens, missingPermissionToChangeUser, PERMISSIONS, rolesWith, ROLES, type Permission, type Role } from './access';

describe('who may do what', () => {
  const grants: Record<Role, Permission[]> = {
    agent: ['cases:read', 'cases:work', 'users:read'],
    supervisor: ['cases:read', 'cases:work', 'cases:supervise', 'users:read', 'users:schedule'],
    executive: ['cases:read', 'users:read'],
    admin: ['cases:read', 'cases:work', 'cases:supervise', 'users:read', 'users:manage', 'users:schedule'],
  };

  it.each(ROLES.flatMap((role) => PERMISSIONS.map((permission) => [role, permission] as const)))('%s: %s', (role, permission) => {
    expect(can(role, permission)).toBe(grants[role].includes(permission));
  });

  it('names the roles that hold a permission', () => {
    expect(rolesWith('users:schedule')).toEqual(['supervisor', 'admin']);
    expect(rolesWith('cases:read')).toEqual([...ROLES]);
  });
});

describe('changing a user', () => {
  const agent = { id: 'a', role: 'agent' as const };
  const supervisor = { id: 's', role: 'supervisor' as const };
  const executive = { id: 'e', role: 'executive' as const };
  const admin = { id: 'x', role: 'admin' as const };

  it('lets anyone who works cases go on or off shift themselves, and nothing more', () => {
    expect(missingPermissionToChangeUser(agent, 'a', ['onShift'])).toBeNull();
    expect(missingPermissionToChangeUser(agent, 'a', ['onShift', 'capacity'])).toBe('users:schedule');
    expect(missingPermissionToChangeUser(agent, 'b', ['onShift'])).toBe('users:schedule');
    expect(missingPermissionToChangeUser(agent, 'a', ['name'])).toBe('users:manage');
    expect(missingPermissionToChangeUser(executive, 'e', ['onShift'])).toBe('users:schedule');
  });

  it('lets supervisors schedule anyone but not rename or change roles; admins do all', () => {
    expect(missingPermissionToChangeUser(supervisor, 'a', ['onShift', 'capacity'])).toBeNull();
    expect(missingPermissionToChangeUser(supervisor, 'a', ['role'])).toBe('users:manage');
    expect(missingPermissionToChangeUser(admin, 'a', ['name', 'role', 'onShift', 'capacity'])).toBeNull();
  });

  it("lets users handle their own tokens and only admins anyone else's", () => {
    expect(missingPermissionForTokens(agent, 'a')).toBeNull();
    expect(missingPermissionForTokens(supervisor, 'a')).toBe('users:manage');
    expect(missingPermissionForTokens(admin, 'a')).toBeNull();
  });
});
