import { Global, Module } from '@nestjs/common';
import { AuthGuard } from './auth.guard';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';

/** Global: every module's controllers use the AuthGuard, and the case workflow reads users. */
@Global()
@Module({
  controllers: [UsersController],
  providers: [UsersRepository, AuthGuard],
  exports: [UsersRepository, AuthGuard],
})
export class UsersModule {}
