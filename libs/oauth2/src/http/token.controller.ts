import { Controller, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { AuthorizationServer } from '../core/authorization-server';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { SkipBearer } from './skip-bearer.decorator';
import { TokenRateLimitGuard } from './token-rate-limit.guard';

/** `POST {prefix}/token` (RFC 6749 §3.2). */
@Controller()
@UseFilters(OAuthEndpointExceptionFilter)
@SkipBearer() // the endpoints authenticate clients themselves; a host's global BearerGuard must not block them
export class TokenController {
  constructor(private readonly server: AuthorizationServer) {}

  @Post('token')
  @UseGuards(TokenRateLimitGuard)
  async token(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    writeOAuthResponse(res, await this.server.handleTokenRequest(toOAuthRequest(req)));
  }
}
