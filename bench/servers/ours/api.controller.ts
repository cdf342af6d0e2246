import { Controller, Get, UseGuards } from '@nestjs/common';
import { BearerGuard, OAuthAuthorization, Scopes, type ResourceAuthorization } from 'nest-oauth2-provider';

/** The host's protected API, written as the README tells a host to write it. */
@Controller('api')
export class ApiController {
  @Get('me')
  @UseGuards(BearerGuard)
  @Scopes('profile')
  me(@OAuthAuthorization() auth: ResourceAuthorization) {
    return { sub: auth.userId ?? auth.clientId, scope: auth.scopes.join(' ') };
  }
}
