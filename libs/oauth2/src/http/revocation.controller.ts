import { Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { TokenRevocation } from '../core/revocation';
import { ClientAuthenticationRateLimit } from './client-authentication-rate-limit';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { SkipBearer } from './skip-bearer.decorator';

/** `POST {prefix}/revoke` (RFC 7009). `@SkipBearer()`: a host's global `BearerGuard` (APP_GUARD) must not lock out the endpoint. */
@Controller()
@SkipBearer()
@UseFilters(OAuthEndpointExceptionFilter)
export class RevocationController {
  constructor(
    private readonly revocation: TokenRevocation,
    private readonly rateLimit: ClientAuthenticationRateLimit,
  ) {}

  @Post('revoke')
  @HttpCode(200)
  async revoke(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    writeOAuthResponse(res, await this.rateLimit.guard(req, () => this.revocation.handle(toOAuthRequest(req))));
  }
}
