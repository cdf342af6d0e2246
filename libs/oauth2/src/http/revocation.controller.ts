import { Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { TokenRevocation } from '../core/revocation';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { Public } from './public.decorator';

/** `POST {prefix}/revoke` (RFC 7009). `@Public()`: a host's global `BearerGuard` (APP_GUARD) must not lock out the endpoint. */
@Controller()
@Public()
@UseFilters(OAuthEndpointExceptionFilter)
export class RevocationController {
  constructor(private readonly revocation: TokenRevocation) {}

  @Post('revoke')
  @HttpCode(200)
  async revoke(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    writeOAuthResponse(res, await this.revocation.handle(toOAuthRequest(req)));
  }
}
