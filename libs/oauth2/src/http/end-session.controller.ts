import { Controller, Get, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { jsonResponse } from '../core/oauth-response';
import { EndSessionEndpoint } from '../core/openid/end-session';
import type { ResolvedOAuthOptions } from '../oauth-options';
import { RESOLVED_OAUTH_OPTIONS } from '../oauth.constants';
import { toOAuthRequest, writeOAuthResponse } from './http-bridge';
import { OAuthEndpointExceptionFilter } from './oauth-exception.filter';
import { SkipBearer } from './skip-bearer.decorator';

/**
 * `GET` and `POST {prefix}/logout`: the end-session endpoint of OpenID Connect RP-Initiated Logout 1.0.
 * Always mounted; answers 404 while `openid` is off.
 */
@Controller()
@UseFilters(OAuthEndpointExceptionFilter)
@SkipBearer() // a browser endpoint; a host's global BearerGuard must not block it
export class EndSessionController {
  constructor(
    @Inject(RESOLVED_OAUTH_OPTIONS) private readonly options: ResolvedOAuthOptions,
    private readonly endSession: EndSessionEndpoint,
  ) {}

  @Get('logout')
  async logout(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    if (!this.enabled(res)) return;
    writeOAuthResponse(res, await this.endSession.handle(toOAuthRequest(req)));
  }

  @Post('logout')
  async logoutPost(@Req() req: unknown, @Res() res: unknown): Promise<void> {
    return this.logout(req, res);
  }

  /** False, after answering 404, while OpenID Connect is off: the endpoint does not exist then. */
  private enabled(res: unknown): boolean {
    if (this.options.openid) return true;
    writeOAuthResponse(res, jsonResponse(404, { error: 'not_found', error_description: 'OpenID Connect is not enabled' }));
    return false;
  }
}
