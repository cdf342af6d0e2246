import { Controller, Get, Res, UseFilters } from '@nestjs/common';
import { JwksEndpoint } from '../core/jwks-endpoint';
import { writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { SkipBearer } from './skip-bearer.decorator';

/** `GET {prefix}/jwks` (RFC 7517 §5): the signing keys' public halves, for resource servers that verify JWT access tokens. */
@Controller()
@SkipBearer()
@UseFilters(OAuthEndpointExceptionFilter)
export class JwksController {
  constructor(private readonly jwks: JwksEndpoint) {}

  @Get('jwks')
  async keys(@Res() res: unknown): Promise<void> {
    writeOAuthResponse(res, await this.jwks.handle());
  }
}
