import { createHash, timingSafeEqual } from 'node:crypto';
import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { can, rolesWith, type Permission, type Role } from '../domain/users/access';
import type { AuthUser } from './auth-user';
import { UsersRepository } from './users.repository';

/** Route metadata: the permission a route needs; null means any signed-in user. */
export const PERMISSION_KEY = 'users:permission';

/** What each permission lets a role do, for "An agent may not manage users". */
const PERMISSION_PHRASES: Readonly<Record<Permission, string>> = {
  'cases:read': 'read cases',
  'cases:work': 'work on cases',
  'cases:supervise': 'supervise cases or work cases owned by others',
  'users:read': 'read the team',
  'users:manage': 'manage users, roles or their tokens',
  'users:schedule': 'set shifts or capacities',
};

/** The 403 for a role without a permission, naming the roles that have it. */
export function permissionDenied(role: Role, permission: Permission): ForbiddenException {
  const article = /^[aeiou]/.test(role) ? 'An' : 'A';
  return new ForbiddenException(`${article} ${role} may not ${PERMISSION_PHRASES[permission]}; this needs one of: ${rolesWith(permission).join(', ')}`);
}

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: AuthUser;
}

const MISSING_TOKEN = 'Send "Authorization: Bearer <token>"; an admin issues tokens at POST /api/users/:id/tokens (a new install starts with ADMIN_TOKEN)';

/**
 * Authenticates the bearer token (ADMIN_TOKEN, or an issued API token) and checks the route's
 * permission. Puts the caller on `request.user` for `@CurrentUser()`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly adminTokenDigest: Buffer | null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersRepository,
    private readonly reflector: Reflector,
  ) {
    this.adminTokenDigest = config.auth.adminToken === null ? null : sha256(config.auth.adminToken);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // A class-level and a route-level decorator both apply the guard; authenticate once.
    const user = request.user ?? (await this.authenticate(request));
    request.user = user;

    const permission = this.reflector.getAllAndOverride<Permission | null | undefined>(PERMISSION_KEY, [context.getHandler(), context.getClass()]);
    if (permission && !can(user.role, permission)) throw permissionDenied(user.role, permission);
    return true;
  }

  private async authenticate(request: AuthenticatedRequest): Promise<AuthUser> {
    const token = bearerToken(request.headers.authorization);
    if (token === null) throw new UnauthorizedException(MISSING_TOKEN);
    if (this.isAdminToken(token)) return this.users.bootstrapAdmin();
    const user = await this.users.findByToken(token);
    if (!user) throw new UnauthorizedException('Unknown or revoked token');
    return user;
  }

  /** Digests have equal length, so the comparison takes the same time whatever was sent. */
  private isAdminToken(token: string): boolean {
    return this.adminTokenDigest !== null && timingSafeEqual(sha256(token), this.adminTokenDigest);
  }
}

function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
