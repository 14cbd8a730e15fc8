import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Permission } from '../domain/users/access';
import { AuthGuard, PERMISSION_KEY } from './auth.guard';

/** The route (or every route of the controller) needs a signed-in caller whose role holds this permission. */
export function RequirePermission(permission: Permission): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(PERMISSION_KEY, permission), UseGuards(AuthGuard), ApiBearerAuth());
}

/** Any signed-in caller; the route checks finer rules itself. Overrides a controller's RequirePermission. */
export function Authenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(PERMISSION_KEY, null), UseGuards(AuthGuard), ApiBearerAuth());
}
