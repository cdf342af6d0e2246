import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { AuthorizationServer } from '../core/authorization-server';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { SkipBearer } from './skip-bearer.decorator';

/** `GET {prefix}/auth` (authorization request) and `POST {prefix}/auth` (consent decision). */
@Controller()
@UseFilters(OAuthEndpointExceptionFilter)
@SkipBearer() // the endpoints authenticate clients themselves; a host's global BearerGuard must not block them
export class AuthorizeController {
  constructor(private readonly server: AuthorizationServer) {}

  @Get('auth')
  async authorize(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    writeOAuthResponse(res, await this.server.handleAuthorizationRequest(toOAuthRequest(req)));
  }

  @Post('auth')
  async decide(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    writeOAuthResponse(res, await this.server.handleConsentDecision(toOAuthRequest(req)));
  }
}
