import { Controller, Get, UseGuards } from '@nestjs/common';
import { BearerGuard, OAuthAuthorization, Scopes, type ResourceAuthorization } from 'nest-oauth2-provider';
import { UsersService } from './users.service';

@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @UseGuards(BearerGuard)
  @Scopes('profile')
  me(@OAuthAuthorization() auth: ResourceAuthorization) {
    return this.users.profile(auth.userId!);
  }
}
