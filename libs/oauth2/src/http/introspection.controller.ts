import { Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { TokenIntrospection } from '../core/introspection';
import { ClientAuthenticationRateLimit } from './client-authentication-rate-limit';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { SkipBearer } from './skip-bearer.decorator';

/** `POST {prefix}/introspect` (RFC 7662). `@SkipBearer()`: a host's global `BearerGuard` (APP_GUARD) must not lock out the endpoint. */
@Controller()
@SkipBearer()
@UseFilters(OAuthEndpointExceptionFilter)
export class IntrospectionController {
  constructor(
    private readonly introspection: TokenIntrospection,
    private readonly rateLimit: ClientAuthenticationRateLimit,
  ) {}

  @Post('introspect')
  @HttpCode(200)
  async introspect(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    writeOAuthResponse(res, await this.rateLimit.guard(req, () => this.introspection.handle(toOAuthRequest(req))));
  }
}
