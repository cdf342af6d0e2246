import { Controller, Get, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { UserInfoEndpoint } from '../core/openid/userinfo';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { SkipBearer } from './skip-bearer.decorator';

/**
 * `GET` and `POST {prefix}/userinfo` (OpenID Connect Core §5.3). `@SkipBearer()`: the endpoint checks
 * its bearer token itself, with the rules of UserInfo rather than a route's.
 */
@Controller()
@SkipBearer()
@UseFilters(OAuthEndpointExceptionFilter)
export class UserInfoController {
  constructor(private readonly userInfo: UserInfoEndpoint) {}

  @Get('userinfo')
  async get(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    writeOAuthResponse(res, await this.userInfo.handle(toOAuthRequest(req)));
  }

  @Post('userinfo')
  @HttpCode(200)
  async post(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    writeOAuthResponse(res, await this.userInfo.handle(toOAuthRequest(req)));
  }
}
