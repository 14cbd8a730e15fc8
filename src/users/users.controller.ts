import { BadRequestException, Body, ConflictException, Controller, Delete, Get, HttpCode, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../common/uuid-param.pipe';
import { missingPermissionForTokens, missingPermissionToChangeUser } from '../domain/users/access';
import type { AuthUser } from './auth-user';
import { permissionDenied } from './auth.guard';
import { CurrentUser } from './current-user.decorator';
import { Authenticated, RequirePermission } from './require-permission.decorator';
import { CreateUserBody, IssueTokenBody, UpdateUserBody } from './users.dto';
import { DuplicateEmailError, UnknownUserError, UsersRepository, type UserView } from './users.repository';

export interface IssuedToken {
  id: string;
  token: string;
  note: string;
}

const userId = (): ParameterDecorator => Param('id', new UuidParam('user id'));

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersRepository) {}

  @Post()
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Add a user to the team (agent, supervisor, executive or admin); 409 when the email is taken' })
  async create(@Body() body: CreateUserBody): Promise<UserView> {
    try {
      return await this.users.create(body);
    } catch (error) {
      if (error instanceof DuplicateEmailError) throw new ConflictException(error.message);
      throw error;
    }
  }

  @Get()
  @RequirePermission('users:read')
  @ApiOperation({ summary: 'The team: names, roles, shifts, capacities and open cases' })
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The signed-in caller' })
  async me(@CurrentUser() user: AuthUser): Promise<UserView> {
    return this.mustFind(user.id);
  }

  @Patch(':id')
  @Authenticated()
  @ApiOperation({ summary: 'Rename, change role (users:manage), put on or off shift, set capacity (users:schedule; an agent may set their own shift)' })
  async update(@CurrentUser() user: AuthUser, @userId() id: string, @Body() body: UpdateUserBody): Promise<UserView> {
    const changes = (['name', 'role', 'onShift', 'capacity'] as const).filter((key) => body[key] !== undefined && body[key] !== null);
    if (changes.length === 0) throw new BadRequestException('Send at least one of name, role, onShift, capacity');
    const missing = missingPermissionToChangeUser(user, id, changes);
    if (missing !== null) throw permissionDenied(user.role, missing);
    // ADMIN_TOKEN must always open the door a new install (or a locked-out team) needs.
    if (body.role !== undefined && body.role !== null && body.role !== 'admin' && (await this.users.isBootstrapAdmin(id))) {
      throw new ConflictException('The first admin (the one ADMIN_TOKEN signs in as) stays an admin; create another user for that role');
    }
    const updated = await this.users.update(id, body);
    if (!updated) throw unknownUser(id);
    return updated;
  }

  @Post(':id/tokens')
  @Authenticated()
  @ApiOperation({ summary: 'Issue an API token for the user (users:manage, or the user themself); the token is shown once' })
  async issueToken(@CurrentUser() user: AuthUser, @userId() id: string, @Body() body: IssueTokenBody): Promise<IssuedToken> {
    this.mustManageOrBeSelf(user, id);
    await this.mustFind(id);
    try {
      const issued = await this.users.issueToken(id, body.label ?? '');
      return { ...issued, note: 'Shown once; store it now' };
    } catch (error) {
      if (error instanceof UnknownUserError) throw unknownUser(id);
      throw error;
    }
  }

  @Delete(':id/tokens/:tokenId')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of the user’s tokens (users:manage, or the user themself)' })
  async revokeToken(@CurrentUser() user: AuthUser, @userId() id: string, @Param('tokenId', new UuidParam('token id')) tokenId: string): Promise<void> {
    this.mustManageOrBeSelf(user, id);
    if (!(await this.users.revokeToken(id, tokenId))) throw new NotFoundException(`User ${id} has no active token with id ${tokenId}`);
  }

  private mustManageOrBeSelf(user: AuthUser, id: string): void {
    const missing = missingPermissionForTokens(user, id);
    if (missing !== null) throw permissionDenied(user.role, missing);
  }

  private async mustFind(id: string): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw unknownUser(id);
    return user;
  }
}

function unknownUser(id: string): NotFoundException {
  return new NotFoundException(`No user has id ${id}`);
}
