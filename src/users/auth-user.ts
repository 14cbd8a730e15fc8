import type { Role } from '../domain/users/access';

/** The signed-in caller, put on the request by the AuthGuard. */
export interface AuthUser {
  id: string;
  name: string;
  role: Role;
}
