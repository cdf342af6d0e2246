import { Controller, Get, Header, NotFoundException, UseGuards } from '@nestjs/common';
import { BearerGuard, OAuthAuthorization, Scopes, type ResourceAuthorization } from 'nest-oauth2-provider';
import { UsersService } from '../users/users.service';

/** The user API a connected app calls with `Authorization: Bearer …` (RFC 6750). */
@Controller('v1/users')
@UseGuards(BearerGuard)
export class UsersApiController {
  constructor(private readonly users: UsersService) {}

  /** The user who approved the token: needs `profile`. */
  @Get('me')
  @Scopes('profile')
  @Header('Cache-Control', 'no-store')
  async me(@OAuthAuthorization() auth: ResourceAuthorization) {
    const user = auth.userId ? await this.users.findById(auth.userId) : null;
    if (!user) throw new NotFoundException('This token does not belong to a user.');
    return {
      id: user.id,
      first_name: user.firstName,
      last_name: user.lastName,
      email: user.email,
      username: user.username,
    };
  }
}
